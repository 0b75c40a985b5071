import type { ProcessEntrypointOptions } from '@escf/cloudflare';
import { type Envelope, EventHandler, Process, type ProcessHandlerContext } from '@escf/core';
import { UserEmailVerificationIssued } from '../../../src/domain/index.js';
import type { EscfEnv } from './escf-env.generated.js';

/** The side effects this process performs. */
export interface EmailEffects {
  sendEmailVerification(email: string, token: string): Promise<void>;
}

/** Seed 000's SendEmailVerificationProcess: every issued token is mailed to the new address. */
@Process('send-email-verification')
export class SendEmailVerificationProcess {
  @EventHandler(UserEmailVerificationIssued)
  async onIssued(e: Envelope<UserEmailVerificationIssued>, { effects }: ProcessHandlerContext<EmailEffects>) {
    await effects.sendEmailVerification(e.payload.newEmail, e.payload.token);
  }
}

/**
 * The effects, passed to the generated `processEntrypoint` (see
 * `options` in escf.config.ts). This example logs the email; a real system
 * would call a mail API or a `send_email` binding here.
 */
export const sendEmailVerificationOptions: ProcessEntrypointOptions<EscfEnv, EmailEffects> = {
  effects: () => ({
    async sendEmailVerification(email, token) {
      console.log(`Sending email verification to ${email}: ${token}`);
    },
  }),
};

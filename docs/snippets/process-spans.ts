// biome-ignore-all assist/source/organizeImports: the region shown in docs/observability.md starts at the tracer's import
import { type Envelope, EventHandler, Process, type ProcessHandlerContext } from '@escf/core';
import { UserEmailVerificationIssued } from '../../examples/users/src/domain/index.js';
// #region own-spans
import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('users-email');
// #endregion

interface Effects {
  mailer: { send(to: string, token: string): Promise<void> };
}

// docs/observability.md: a span of your own inside ESCF's process span.
@Process('send-email-verification')
export class SendEmailVerification {
  @EventHandler(UserEmailVerificationIssued)
  async onIssued(e: Envelope<UserEmailVerificationIssued>, { effects }: ProcessHandlerContext<Effects>) {
    const { mailer } = effects;
    const { newEmail: email, token } = e.payload;
    // #region own-spans

    // Inside a process handler: a child of `escf.process.handle send-email-verification`.
    await tracer.startActiveSpan('send email', async (span) => {
      try {
        await mailer.send(email, token);
      } finally {
        span.end();
      }
    });
    // #endregion
  }
}

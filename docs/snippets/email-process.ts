import { aggregateCommandSender, processEntrypoint } from '@escf/cloudflare';
import { type Envelope, EventHandler, OnHttp, Process, type ProcessHandlerContext } from '@escf/core';
import { User, UserEmailVerificationIssued } from '../../examples/users/src/domain/index.js';

interface Effects {
  sendEmailVerification(email: string, token: string): Promise<void>;
}
interface Env {
  MAILER: { send(to: string, token: string): Promise<void> };
  USER_AGGREGATE: DurableObjectNamespace;
}

@Process('send-email-verification')
export class SendEmailVerification {
  @EventHandler(UserEmailVerificationIssued)
  async onIssued(e: Envelope<UserEmailVerificationIssued>, { effects }: ProcessHandlerContext<Effects>) {
    await effects.sendEmailVerification(e.payload.newEmail, e.payload.token);
  }

  @OnHttp('POST', '/users/:id/verify')
  async verify(request: Request, { commands }: ProcessHandlerContext<Effects>) {
    const { id, token } = await request.json<{ id: string; token: string }>();
    return commands.to(User, id).fulfillEmailVerification({ token });
  }
}

export default processEntrypoint(SendEmailVerification, {
  effects: (env: Env): Effects => ({ sendEmailVerification: (to, token) => env.MAILER.send(to, token) }),
  commands: (env) => aggregateCommandSender(env, [{ aggregate: User, binding: 'USER_AGGREGATE' }]),
});

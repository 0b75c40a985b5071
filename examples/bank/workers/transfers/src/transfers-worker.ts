// What the transfers worker's generated entry imports (`from` in escf.config.ts):
// the process, its options and the saga's Workflow class.
import { type ProcessEntrypointOptions, startWorkflowOnce } from '@escf/cloudflare';
import type { EscfEnv } from './escf-env.generated.js';
import { type TransferEffects, TransfersProcess } from './transfers-process.js';

export { TransferSaga } from './transfer-saga.js';
export { TransfersProcess };

/** Passed to the generated entrypoint (`options` in escf.config.ts): sagas start on the TRANSFER_SAGA Workflow. */
export const transfersOptions: ProcessEntrypointOptions<EscfEnv, TransferEffects> = {
  effects: (env) => ({
    async startSaga(instanceId, params) {
      await startWorkflowOnce(env.TRANSFER_SAGA, instanceId, params);
    },
  }),
};

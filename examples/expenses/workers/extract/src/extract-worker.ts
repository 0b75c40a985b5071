// What the extract worker's generated entry imports (`from` in escf.config.ts).
import type { ProcessEntrypointOptions } from '@escf/cloudflare';
import { chooseOcr } from '../../../src/ocr/choose-ocr.js';
import type { WorkersAi } from '../../../src/ocr/workers-ai-ocr.js';
import { type ExtractEffects, ExtractExpenseAction } from './extract-expense-action.js';

export { ExtractExpenseAction };

/** Bindings this worker has besides the generated ones (declared by hand in its wrangler.jsonc). */
export interface ExtractBindings {
  readonly RECEIPTS: R2Bucket;
  /** `"local"` (default) or `"workers-ai"`. */
  readonly OCR?: string;
  readonly AI?: WorkersAi;
}

/** Passed to the generated entrypoint (`options` in escf.config.ts): the OCR chosen in config and the R2 bucket. */
export const extractOptions: ProcessEntrypointOptions<ExtractBindings, ExtractEffects> = {
  ordering: 'stream',
  effects: (env) => ({
    ocr: chooseOcr(env),
    async readFile(key) {
      const object = await env.RECEIPTS.get(key);
      return object ? new Uint8Array(await object.arrayBuffer()) : null;
    },
  }),
};

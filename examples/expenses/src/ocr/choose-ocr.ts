import { localOcr } from './local-ocr.js';
import type { Ocr, OcrProvider } from './ocr.js';
import { type WorkersAi, workersAiOcr } from './workers-ai-ocr.js';

/** The OCR a worker's config chooses: `OCR = "local"` (default; dev and tests) or `"workers-ai"` (needs the `AI` binding). */
export function chooseOcr(env: { OCR?: string; AI?: WorkersAi }): Ocr {
  const provider = (env.OCR ?? 'local') as OcrProvider;
  if (provider === 'local') return localOcr;
  if (provider === 'workers-ai') {
    if (!env.AI) throw new Error('OCR = "workers-ai" needs an ai binding named AI in wrangler.jsonc');
    return workersAiOcr(env.AI);
  }
  throw new Error(`Unknown OCR provider '${String(provider)}': use "local" or "workers-ai"`);
}

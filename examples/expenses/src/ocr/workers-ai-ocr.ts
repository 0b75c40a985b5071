import type { Ocr } from './ocr.js';

/** The part of a Workers AI binding this adapter uses. */
export interface WorkersAi {
  run(model: string, input: Record<string, unknown>): Promise<unknown>;
}

/** The vision model that reads receipts; any Workers AI image-to-text model with the same input works. */
export const OCR_MODEL = '@cf/meta/llama-3.2-11b-vision-instruct';

/**
 * OCR through Workers AI (production): the image goes to a vision model that
 * transcribes the receipt. Needs an `ai` binding in the extract worker's
 * wrangler.jsonc (`"ai": { "binding": "AI" }`) and `OCR = "workers-ai"`.
 */
export function workersAiOcr(ai: WorkersAi): Ocr {
  return {
    async extract(file, contentType) {
      if (contentType.startsWith('text/')) return { text: new TextDecoder().decode(file), confidence: 0.99 };
      const reply = (await ai.run(OCR_MODEL, {
        image: [...file],
        prompt:
          'Transcribe this receipt line by line. First line: the merchant. Include the date and a line "TOTAL <amount> <currency>".',
        max_tokens: 512,
      })) as { response?: string; description?: string };
      const text = reply.response ?? reply.description ?? '';
      // The model reports no confidence: a transcription without a total is treated as unsure.
      return { text, confidence: /total/i.test(text) ? 0.85 : 0.3 };
    },
  };
}

/** What OCR read from a document: its text, and how sure it is (0–1). */
export interface OcrResult {
  readonly text: string;
  readonly confidence: number;
}

/** The OCR port: the extract action depends on this, never on a provider. */
export interface Ocr {
  extract(file: Uint8Array, contentType: string): Promise<OcrResult>;
}

/** Which implementation a deployment uses (`OCR` in the extract worker's vars). */
export type OcrProvider = 'local' | 'workers-ai';

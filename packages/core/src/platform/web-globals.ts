/**
 * The few Web-platform globals core uses, typed here because core compiles
 * without DOM or Workers types (it runs in Node ≥ 20 and in workerd, which
 * both provide them).
 */
interface WebPlatform {
  readonly crypto: { readonly subtle: { digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer> } };
  readonly TextEncoder: new () => { encode(text: string): Uint8Array };
  readonly console: {
    log(...data: unknown[]): void;
    debug(...data: unknown[]): void;
    warn(...data: unknown[]): void;
    error(...data: unknown[]): void;
  };
  setTimeout(callback: () => void, ms: number): unknown;
}

const platform = globalThis as unknown as WebPlatform;

/** SHA-256 of a UTF-8 string, as lower-case hex. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(
    await platform.crypto.subtle.digest('SHA-256', new platform.TextEncoder().encode(text)),
  );
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The UTF-8 length of a string in bytes. */
export function utf8ByteLength(text: string): number {
  return new platform.TextEncoder().encode(text).byteLength;
}

/** The platform console. */
export function platformConsole(): WebPlatform['console'] {
  return platform.console;
}

/** Resolves after `ms` milliseconds (the platform timer). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => platform.setTimeout(resolve, ms));
}

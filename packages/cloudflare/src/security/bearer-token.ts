/**
 * True when `request` carries `Authorization: Bearer <expected>`. The
 * comparison takes the same time whatever the presented token is: both sides
 * are hashed to SHA-256 first (equal lengths, so the length of the secret
 * does not leak either) and compared with `crypto.subtle.timingSafeEqual`.
 * An unset or empty `expected` secret matches nothing: admin surfaces stay
 * closed unless configured.
 */
export async function bearerTokenMatches(request: Request, expected: unknown): Promise<boolean> {
  if (typeof expected !== 'string' || expected.length === 0) return false;
  const header = request.headers.get('authorization') ?? '';
  const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  const [a, b] = await Promise.all([sha256(presented), sha256(expected)]);
  return timingSafeEqual(a, b) && presented.length > 0;
}

async function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
}

function timingSafeEqual(a: ArrayBuffer, b: ArrayBuffer): boolean {
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (x: ArrayBuffer, y: ArrayBuffer) => boolean };
  if (typeof subtle.timingSafeEqual === 'function') return subtle.timingSafeEqual(a, b);
  // Outside workerd (Node tests): a fixed-length XOR fold over both digests.
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let difference = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) difference |= x[i]! ^ (y[i] ?? 0);
  return difference === 0;
}

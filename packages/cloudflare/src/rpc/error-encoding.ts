import { type EscfError, InternalError, type SerializedError } from '@escf/core';
import { deserializeError, isSerializedError, serializeError } from '@escf/core/internal';

/**
 * What a Durable Object RPC method returns instead of throwing: workerd
 * keeps only `name` and `message` of a thrown error, so codes and details
 * would be lost. The client turns `ok: false` back into the error class.
 */
export type RpcReply<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: SerializedError };

/** Runs `work` and captures its outcome as an {@link RpcReply}. */
export async function replyFrom<T>(work: () => Promise<T>): Promise<RpcReply<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

/** Returns the value of a reply or throws the ESCF error it carries. */
export function unwrapReply<T>(reply: RpcReply<T>): T {
  if (reply && reply.ok === true) return reply.value;
  throw errorOf(reply);
}

function errorOf(reply: unknown): EscfError {
  const error = (reply as { error?: unknown } | undefined)?.error;
  if (isSerializedError(error)) return deserializeError(error);
  return new InternalError('Malformed reply from the aggregate host', { details: { reply: String(reply) } });
}

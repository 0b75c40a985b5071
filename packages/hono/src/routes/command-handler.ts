import { type AggregateClient, type CommandResult, DeliveryPendingError } from '@escf/core';
import type { Context, Env } from 'hono';
import { commandOptions, etagOf } from '../command-headers.js';
import { type EscfErrorsOptions, errorResponse } from '../error-response.js';
import { readJson } from '../read-json.js';
import { principalOf } from '../request-principal.js';
import { checkHeaderValue, checkRouteId } from '../route-id.js';

/** How one HTTP route runs one command (what every command route helper fills in). */
export interface CommandHandlerSpec<E extends Env> {
  readonly command: string;
  readonly id: (c: Context<E>) => string | Promise<string>;
  readonly client: (c: Context<E>, id: string) => AggregateClient<any>;
  readonly status: 200 | 201 | 202;
  readonly location?: ((id: string) => string) | undefined;
  readonly respond?: ((result: CommandResult, c: Context<E>) => unknown) | undefined;
  readonly before?: ((c: Context<E>, input: unknown, id: string) => void | Promise<void>) | undefined;
  readonly maxBodyBytes?: number | undefined;
  /** Answer errors here (route-scoped) with these options; undefined: throw them to the app's `onError`. */
  readonly answerErrors?: EscfErrorsOptions | undefined;
}

type CommandMethod = (input: unknown, options: unknown) => Promise<CommandResult>;

/**
 * The Hono handler of a command route: safe JSON body, `If-Match` /
 * `Idempotency-Key` / `X-Correlation-Id`, the id checked and `Location`
 * built before the write, the principal, then `ETag` and the result — or
 * 202 + `ESCF-Delivery: pending` when the command committed but a
 * synchronous delivery is still pending.
 */
export function commandHandler<E extends Env>(spec: CommandHandlerSpec<E>): (c: Context<E>) => Promise<Response> {
  const run = async (c: Context<E>): Promise<Response> => {
    const input = await readJson(c, spec.maxBodyBytes === undefined ? {} : { maxBytes: spec.maxBodyBytes });
    const options = commandOptions(c);
    const id = checkRouteId(await spec.id(c));
    // Built before the write: a header that cannot be sent must refuse the command, not fail after it.
    const location = spec.status === 201 && spec.location ? checkHeaderValue('Location', spec.location(id)) : undefined;
    const principal = await principalOf(c);
    await spec.before?.(c, input, id);
    const client = spec.client(c, id) as unknown as Record<string, CommandMethod>;
    let result: CommandResult;
    let answer = spec.status;
    try {
      result = await client[spec.command]!(input, principal === undefined ? options : { ...options, principal });
    } catch (error) {
      // Committed but not yet delivered (sync clients): 202 with the committed result, so
      // the client knows it must not send the command again.
      if (!(error instanceof DeliveryPendingError) || !error.result) throw error;
      result = error.result;
      answer = 202;
      c.header('ESCF-Delivery', 'pending');
    }
    c.header('ETag', etagOf(result.version));
    if (location !== undefined) c.header('Location', location);
    const body = spec.respond
      ? spec.respond(result, c)
      : { id: result.aggregateId, version: result.version, events: result.events.map((e) => e.type) };
    return c.json(body as object, answer);
  };
  const answerErrors = spec.answerErrors;
  if (answerErrors === undefined) return run;
  return async (c) => {
    try {
      return await run(c);
    } catch (error) {
      return errorResponse(c, error, answerErrors);
    }
  };
}

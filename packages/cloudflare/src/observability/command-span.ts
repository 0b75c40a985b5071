import type { CommandResult } from '@escf/core';
import {
  EscfAttribute,
  inSpan,
  SpanKind,
  type TraceCarrier,
  tracingEnabled,
  type WaitUntil,
} from '@escf/core/internal';

/** What {@link commandSpan} needs of a command request (the host's `CommandRequest`). */
interface TracedRequest {
  readonly address?: { readonly aggregateId?: string; readonly tenantId?: string };
  readonly command?: string;
  readonly trace?: TraceCarrier;
}

/**
 * Runs one command of an aggregate host inside the span `escf.command
 * <Type>.<command>`, continuing the caller's trace (the carrier sent with
 * the request) and exporting the spans when the call is over. Off: `run()`.
 */
export function commandSpan(
  ctx: WaitUntil,
  aggregateType: string,
  request: TracedRequest,
  run: () => Promise<CommandResult>,
): Promise<CommandResult> {
  if (!tracingEnabled()) return run();
  return inSpan(
    `escf.command ${aggregateType}.${String(request?.command)}`,
    {
      kind: SpanKind.SERVER,
      parent: request?.trace ?? null,
      attributes: {
        [EscfAttribute.aggregateType]: aggregateType,
        [EscfAttribute.aggregateId]: String(request?.address?.aggregateId),
        [EscfAttribute.command]: String(request?.command),
        ...(request?.address?.tenantId === undefined ? {} : { [EscfAttribute.tenant]: request.address.tenantId }),
        'rpc.system': 'cloudflare_rpc',
        'rpc.method': String(request?.command),
      },
      flush: ctx,
    },
    async (span) => {
      const result = await run();
      span?.setAttribute(EscfAttribute.version, result.version);
      span?.setAttribute(
        EscfAttribute.eventTypes,
        result.events.map((e) => e.type),
      );
      return result;
    },
  );
}

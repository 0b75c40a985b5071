import { EscfError, type EscfErrorOptions } from '@escf/core';

/**
 * Claims an event for one delivery of a process, atomically: a new event is
 * claimed; an event whose earlier claim expired (its delivery crashed) is
 * claimed again; a handled event is a duplicate; an event claimed by a
 * delivery still running is busy.
 */
export async function claimEvent(
  db: D1Database,
  process: string,
  eventId: string,
  now: number,
  leaseMs: number,
): Promise<'claimed' | 'duplicate' | 'busy'> {
  const claimed = await db
    .prepare(
      `INSERT INTO escf_process_events (process, event_id, handled_at, claimed_until) VALUES (?1, ?2, 0, ?3)
       ON CONFLICT (process, event_id) DO UPDATE SET claimed_until = excluded.claimed_until
       WHERE escf_process_events.handled_at = 0 AND escf_process_events.claimed_until < ?4
       RETURNING event_id`,
    )
    .bind(process, eventId, now + leaseMs, now)
    .first();
  if (claimed) return 'claimed';
  const row = await db
    .prepare('SELECT handled_at FROM escf_process_events WHERE process = ?1 AND event_id = ?2')
    .bind(process, eventId)
    .first<{ handled_at: number }>();
  return row && row.handled_at > 0 ? 'duplicate' : 'busy';
}

/** Another delivery of the same event is being handled right now; the caller retries later. Code `EVENT_BUSY`. */
export class ProcessEventBusyError extends EscfError {
  override readonly name = 'ProcessEventBusyError';
  readonly code = 'EVENT_BUSY';
  constructor(message: string, options: EscfErrorOptions = {}) {
    super(message, options);
  }

  /** The error for `eventId`, which a delivery of `process` is handling right now. */
  static of(process: string, eventId: string): ProcessEventBusyError {
    return new ProcessEventBusyError(
      `Process '${process}' is already handling event ${eventId}; deliver it again later.`,
      { details: { process, eventId } },
    );
  }
}

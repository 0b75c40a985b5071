/**
 * Exponential backoff for queue retries: `base · 2^(attempt-1)` seconds,
 * capped at 5 minutes. `attempt` is the message's 1-based attempt count.
 */
export function backoffSeconds(attempt: number, baseSeconds = 2): number {
  if (baseSeconds <= 0) return 0;
  return Math.min(300, Math.round(baseSeconds * 2 ** Math.max(0, attempt - 1)));
}

/** One field of a cron expression: its name, numeric range and (for months and weekdays) names. */
interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/**
 * Why `cron` is not a Cloudflare cron trigger, or undefined when it is one:
 * five space-separated fields (minute, hour, day of month, month, day of
 * week) of `*`, values, ranges, lists and steps, plus `L`, `W` and `#` where
 * the platform accepts them. Caught here, a typo fails `escf generate`
 * instead of `wrangler deploy`.
 */
export function cronExpressionProblem(cron: unknown): string | undefined {
  if (typeof cron !== 'string') return `expected a cron expression such as '*/15 * * * *', got ${typeof cron}.`;
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5)
    return `expected five fields (minute hour day-of-month month day-of-week), e.g. '*/15 * * * *'; ${JSON.stringify(cron)} has ${fields.length}.`;
  for (const [i, text] of fields.entries()) {
    const field = FIELDS[i]!;
    for (const item of text.split(',')) {
      const problem = itemProblem(item.toUpperCase(), field, i);
      if (problem) return `${JSON.stringify(cron)}: the ${field.name} field ${JSON.stringify(text)} ${problem}`;
    }
  }
  return undefined;
}

function itemProblem(item: string, field: CronField, index: number): string | undefined {
  const [base = '', step, extra] = item.split('/');
  if (extra !== undefined) return 'has more than one `/`.';
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1 && Number(step) <= field.max))
    return `has a step that is not a whole number from 1 to ${field.max}.`;
  if (base === '*' || base === '?') return undefined;
  // `L` (last day of month / `5L` last Friday), `15W` (nearest weekday), `5#2` (second Friday).
  if (index === 2 && (base === 'L' || base === 'LW' || /^\d+W$/.test(base)))
    return valueProblem(base.replace(/W$/, '').replace(/^L$/, '1'), field);
  if (index === 4 && /^[^#]+#[1-5]$/.test(base)) return valueProblem(base.split('#')[0]!, field);
  if (index === 4 && /^.+L$/.test(base)) return valueProblem(base.slice(0, -1), field);
  const [from = '', to, more] = base.split('-');
  if (more !== undefined) return 'has a range with more than one `-`.';
  return valueProblem(from, field) ?? (to === undefined ? undefined : valueProblem(to, field));
}

function valueProblem(value: string, field: CronField): string | undefined {
  if (field.names?.includes(value)) return undefined;
  if (/^\d+$/.test(value) && Number(value) >= field.min && Number(value) <= field.max) return undefined;
  const names = field.names ? ` or ${field.names[0]}–${field.names.at(-1)}` : '';
  return `has ${JSON.stringify(value)}, not a value from ${field.min} to ${field.max}${names}.`;
}

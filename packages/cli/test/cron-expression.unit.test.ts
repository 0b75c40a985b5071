import { describe, expect, it } from 'vitest';
import { cronExpressionProblem } from '../src/config/cron-expression.js';

describe('cron expressions of archive.schedule', () => {
  it.each([
    '*/15 * * * *',
    '0 3 * * *',
    '0,30 8-18 * * MON-FRI',
    '59 23 31 12 7',
    '0 0 L * *',
    '0 0 15W * *',
    '0 12 * * 5L',
    '0 12 * * FRI#2',
    '0 0 1 jan,jul *',
    '5-55/10 * * * *',
  ])('accepts %s', (cron) => {
    expect(cronExpressionProblem(cron)).toBeUndefined();
  });

  it.each([
    ['* * * *', /five fields/],
    ['* * * * * *', /five fields/],
    ['60 * * * *', /minute field "60" has "60", not a value from 0 to 59/],
    ['* 24 * * *', /hour field/],
    ['* * 0 * *', /day of month field/],
    ['* * * 13 *', /month field "13" has "13", not a value from 1 to 12 or JAN–DEC/],
    ['* * * * 8', /day of week field/],
    ['*/0 * * * *', /step/],
    ['1-2-3 * * * *', /more than one `-`/],
    ['*/5/2 * * * *', /more than one `\/`/],
    ['hourly * * * *', /minute field "hourly"/],
  ])('refuses %s', (cron, problem) => {
    expect(cronExpressionProblem(cron)).toMatch(problem);
  });

  it('refuses what is not a string', () => {
    expect(cronExpressionProblem(15)).toMatch(/expected a cron expression/);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonConsoleLogger, type LogRecord, NotFound, setLogger } from '../src/index.js';
import { log } from '../src/internal.js';

afterEach(() => {
  setLogger(undefined);
  vi.restoreAllMocks();
});

describe('the ESCF logger', () => {
  it('writes one JSON object per record, errors without stacks, at the console level of the record', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    log({ level: 'warn', message: 'outbox delivery failed', code: 'DELIVERY_FAILED', attempt: 2, retryDelayMs: 400 });
    log({ level: 'error', message: 'request failed', error: new NotFound('User 1 not found') });
    expect(JSON.parse(warn.mock.calls[0]![0] as string)).toEqual({
      level: 'warn',
      message: 'outbox delivery failed',
      code: 'DELIVERY_FAILED',
      attempt: 2,
      retryDelayMs: 400,
      escf: true,
    });
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    log({ level: 'debug', message: 'outbox delivery failed again; retrying', attempt: 3 });
    expect(JSON.parse(debug.mock.calls[0]![0] as string)).toMatchObject({ level: 'debug', attempt: 3 });
    const line = JSON.parse(error.mock.calls[0]![0] as string);
    expect(line.error).toEqual({ name: 'NotFound', message: 'User 1 not found', code: 'NOT_FOUND' });
    expect(JSON.stringify(line)).not.toContain('at ');
  });

  it('can be replaced, and a throwing logger never breaks the caller', () => {
    const records: LogRecord[] = [];
    setLogger((record) => records.push(record));
    log({ level: 'info', message: 'archive run', events: 3 });
    expect(records).toEqual([{ level: 'info', message: 'archive run', events: 3 }]);
    setLogger(() => {
      throw new Error('logger down');
    });
    expect(() => log({ level: 'info', message: 'x' })).not.toThrow();
    setLogger(undefined);
    const info = vi.spyOn(console, 'log').mockImplementation(() => {});
    log({ level: 'info', message: 'back to JSON' });
    expect(info).toHaveBeenCalledOnce();
    expect(jsonConsoleLogger).toBeTypeOf('function');
  });
});

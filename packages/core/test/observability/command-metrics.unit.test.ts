import { describe, expect, it } from 'vitest';
import { CommandMetrics, commandOutcomeOf, latencyPercentile } from '../../src/observability/command-metrics.js';

describe('command metrics', () => {
  it('counts commands by name, outcome and code', () => {
    const metrics = new CommandMetrics();
    metrics.record('open', undefined, 3);
    metrics.record('open', undefined, 4);
    metrics.record('open', 'VALIDATION_FAILED', 1);
    metrics.record('close', 'INTERNAL', 700);
    metrics.record('close', 'DELIVERY_PENDING', 30);
    expect(metrics.snapshot().commands).toEqual([
      { command: 'open', outcome: 'ok', code: null, count: 2 },
      { command: 'open', outcome: 'refused', code: 'VALIDATION_FAILED', count: 1 },
      { command: 'close', outcome: 'failed', code: 'INTERNAL', count: 1 },
      { command: 'close', outcome: 'pending', code: 'DELIVERY_PENDING', count: 1 },
    ]);
    expect(commandOutcomeOf('CONCURRENCY_CONFLICT')).toBe('refused');
  });

  it('keeps a latency histogram whose percentiles are bucket bounds', () => {
    const metrics = new CommandMetrics();
    for (let i = 0; i < 90; i++) metrics.record('c', undefined, 4);
    for (let i = 0; i < 10; i++) metrics.record('c', undefined, 200);
    const { latency } = metrics.snapshot();
    expect(latency.count).toBe(100);
    expect(latency.sumMs).toBe(90 * 4 + 10 * 200);
    expect(latencyPercentile(latency, 0.5)).toBe(5);
    expect(latencyPercentile(latency, 0.9)).toBe(5);
    expect(latencyPercentile(latency, 0.99)).toBe(250);
    expect(latencyPercentile(new CommandMetrics().snapshot().latency, 0.5)).toBeNull();
    metrics.record('c', undefined, 60_000);
    expect(latencyPercentile(metrics.snapshot().latency, 1)).toBe(10_000);
  });

  it('merges snapshots (restored from storage, or summed over instances)', () => {
    const a = new CommandMetrics();
    a.record('open', undefined, 2);
    const b = new CommandMetrics().merge(a.snapshot()).merge(a.snapshot());
    b.record('open', 'VALIDATION_FAILED', 1);
    expect(b.snapshot().commands).toEqual([
      { command: 'open', outcome: 'ok', code: null, count: 2 },
      { command: 'open', outcome: 'refused', code: 'VALIDATION_FAILED', count: 1 },
    ]);
    expect(b.snapshot().latency.count).toBe(3);
  });
});

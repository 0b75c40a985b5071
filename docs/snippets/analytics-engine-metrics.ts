import type { AggregateHostOptions } from '@escf/cloudflare';

// An export of the aggregate's module, named in escf.config.ts (`options: 'userAggregateOptions'`):
// every command also writes one data point to the Analytics Engine dataset bound as ESCF_METRICS.
export const userAggregateOptions: AggregateHostOptions = {
  metrics: { analyticsEngine: 'ESCF_METRICS' },
};

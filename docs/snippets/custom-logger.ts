import { type LogRecord, setLogger } from '@escf/core';

// At module scope of a worker: keep warnings and errors, tagged with the service name.
setLogger((record: LogRecord) => {
  if (record.level !== 'warn' && record.level !== 'error') return;
  console[record.level](JSON.stringify({ service: 'users-api', ...record, error: String(record.error ?? '') }));
});

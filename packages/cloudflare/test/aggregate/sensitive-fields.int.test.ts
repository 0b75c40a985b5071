import { describe, expect, it } from 'vitest';
import { ada, aggregates, testEnv, uniqueId } from '../helpers.js';

// Sensitive event fields (`@Event('UserCreated', { sensitive: ['passwordHash'] })`)
// reach only subscribers declared in `sensitiveReceivers`; the D1 log keeps them.
describe('sensitive fields', () => {
  it('a subscriber that did not ask for them receives the event without them, named in metadata.redacted', async () => {
    const id = uniqueId('sensitive');
    await aggregates(testEnv, { sync: true })
      .user(id)
      .create({ ...ada });
    const delivered = (await testEnv.SUBSCRIBER.received()).filter((e) => e.aggregateId === id);
    const created = delivered.find((e) => e.type === 'UserCreated')!;
    expect(created.payload).toEqual({ name: ada.name, email: ada.email });
    expect(created.metadata!.redacted).toEqual(['passwordHash']);
    const issued = delivered.find((e) => e.type === 'UserEmailVerificationIssued')!;
    expect(issued.payload).not.toHaveProperty('token');
    expect(JSON.stringify(delivered)).not.toMatch(/sha256\$/);
    // The log keeps the whole event (rebuilds, the aggregate's own replay).
    const { results } = await testEnv.ESCF_EVENTS.prepare('SELECT events FROM escf_events WHERE aggregate_id = ?')
      .bind(id)
      .all<{ events: string }>();
    expect(results.map((r) => r.events).join()).toMatch(/sha256\$/);
  });
});

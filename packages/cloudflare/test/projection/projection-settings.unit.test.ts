import type { ProjectionDescriptor } from '@escf/core/internal';
import { describe, expect, it } from 'vitest';
import { bindingOfRole, projectionSettings } from '../../src/projection/projection-settings.js';

const descriptor = (queries: string[]) =>
  ({ name: 'send-email', bindingPrefix: 'SEND_EMAIL', queries }) as unknown as ProjectionDescriptor;

describe('projectionSettings', () => {
  it('fills in the conventional bindings and defaults', () => {
    const settings = projectionSettings(descriptor(['find', 'resetReadModel']), {});
    expect(settings).toMatchObject({
      databaseBinding: 'SEND_EMAIL_DB',
      queueBinding: 'SEND_EMAIL_QUEUE',
      standbyBinding: undefined,
      maxRetries: 3,
      rebuildBatchSize: 1_000,
    });
    // resetReadModel belongs to rebuilds: never an RPC query.
    expect(settings.queries).toEqual(['find']);
  });

  it('keeps bindings the options name and maps blue/green roles to them', () => {
    const settings = projectionSettings(descriptor([]), { database: 'MAIL_DB', standbyDatabase: 'MAIL_DB_NEXT' });
    expect(bindingOfRole(settings, 'primary')).toBe('MAIL_DB');
    expect(bindingOfRole(settings, 'standby')).toBe('MAIL_DB_NEXT');
  });

  it('refuses a query named like an entrypoint method, and a standby that is the primary again', () => {
    expect(() => projectionSettings(descriptor(['status']), {})).toThrow(/method named 'status'.*rename it/);
    expect(() => projectionSettings(descriptor([]), { standbyDatabase: 'SEND_EMAIL_DB' })).toThrow(
      /standbyDatabase must name a second D1 binding/,
    );
  });
});

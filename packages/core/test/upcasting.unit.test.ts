import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DefinitionError, defineEvent, UpcastError, upcast } from '../src/index.js';
import { engineFor } from '../src/internal.js';
import { eventDefinitionOf, Upcaster } from '../src/upcast/index.js';
import { Emailed, Profile, ProfileSet, profileSetHistory, Tagged } from './upcasting-fixtures.js';

const reader = () => new Upcaster([ProfileSet, Tagged, Emailed].map((c) => eventDefinitionOf(c)!));

describe('Upcaster', () => {
  it('reads v1 and v2 payloads as v3, and v3 unchanged', () => {
    const upcaster = reader();
    const v3 = { firstName: 'Ada', lastName: 'Lovelace', displayName: 'Ada Lovelace' };
    expect(
      upcaster.read({ id: 'e1', type: 'ProfileSet', schemaVersion: 1, payload: { name: 'Ada Lovelace' } }),
    ).toMatchObject([{ type: 'ProfileSet', schemaVersion: 3, payload: v3 }]);
    expect(
      upcaster.read({ type: 'ProfileSet', schemaVersion: 2, payload: { firstName: 'Ada', lastName: 'Lovelace' } }),
    ).toMatchObject([{ payload: v3 }]);
    const current = { type: 'ProfileSet', schemaVersion: 3, payload: v3 };
    expect(upcaster.read(current)[0]!.payload).toBe(v3);
  });

  it('reads a renamed type (formerly) through the same chain', () => {
    expect(reader().read({ type: 'NameSet', schemaVersion: 1, payload: { name: 'Grace Hopper' } })).toMatchObject([
      { type: 'ProfileSet', payload: { firstName: 'Grace', lastName: 'Hopper', displayName: 'Grace Hopper' } },
    ]);
  });

  it('splits a retired event into several current events and drops removed ones', () => {
    const upcaster = reader();
    expect(
      upcaster.read({
        id: 'old',
        type: 'ProfileChanged',
        schemaVersion: 1,
        payload: { name: 'Ada L', email: 'ada@example.com' },
      }),
    ).toMatchObject([
      { type: 'ProfileSet', schemaVersion: 3, payload: { firstName: 'Ada', lastName: 'L', displayName: 'Ada L' } },
      { type: 'Emailed', schemaVersion: 1, payload: { email: 'ada@example.com' } },
    ]);
    expect(upcaster.read({ type: 'ProfileViewed', schemaVersion: 1, payload: {} })).toEqual([]);
  });

  it('passes unknown types through without a definition', () => {
    expect(reader().read({ type: 'SomethingElse', schemaVersion: 4, payload: { x: 1 } })).toEqual([
      { type: 'SomethingElse', schemaVersion: 4, payload: { x: 1 }, definition: undefined },
    ]);
  });

  it('downcasts an event written by newer code when the lens is bidirectional', () => {
    expect(
      reader().read({ type: 'Tagged', schemaVersion: 3, payload: { tags: [{ label: 'a' }, { label: 'b' }] } }),
    ).toMatchObject([{ type: 'Tagged', schemaVersion: 2, payload: { tags: ['a', 'b'] } }]);
    expect(reader().read({ type: 'Tagged', schemaVersion: 1, payload: { tag: 'x' } })).toMatchObject([
      { payload: { tags: ['x'] } },
    ]);
  });

  it('fails clearly on a version nobody can read, naming the event id, type and version', () => {
    const error = (() => {
      try {
        reader().read({ id: 'evt-9', type: 'ProfileSet', schemaVersion: 7, payload: {} });
      } catch (e) {
        return e as UpcastError;
      }
    })();
    expect(error).toBeInstanceOf(UpcastError);
    expect(error!.code).toBe('UPCAST_FAILED');
    expect(error!.message).toMatch(
      /event evt-9 of type 'ProfileSet' stored at version 7: it was written by newer code/,
    );
    expect(error!.details).toMatchObject({ eventId: 'evt-9', type: 'ProfileSet', storedVersion: 7 });
  });

  it('fails clearly when a lens throws or its result fails the current schema, without touching the stored payload', () => {
    const stored = { id: 'evt-1', type: 'ProfileSet', schemaVersion: 1, payload: { name: 42 } };
    const frozen = structuredClone(stored);
    expect(() => reader().read(stored)).toThrow(/event evt-1 of type 'ProfileSet' stored at version 1: a lens threw/);
    expect(stored).toEqual(frozen);
    const bad = { id: 'evt-2', type: 'Tagged', schemaVersion: 1, payload: {} };
    expect(() => reader().read(bad)).toThrow(/evt-2.*does not match the current schema of 'Tagged'/);
  });

  it('rejects chains that do not reach the current version, at definition time', () => {
    const Gap = defineEvent('Gap', z.object({ c: z.string() }), {
      version: 3,
      upcast: upcast<{ a: string }>().lens<{ c: string }>(({ a }) => ({ c: a })) as never,
    });
    expect(() => new Upcaster([eventDefinitionOf(Gap)!])).toThrow(DefinitionError);
    expect(() => new Upcaster([eventDefinitionOf(Gap)!])).toThrow(
      /Event 'Gap' is at version 3 but its lens chain only reaches version 2/,
    );
    const NoChain = defineEvent('NoChain', z.object({}), { version: 2 });
    expect(() => new Upcaster([eventDefinitionOf(NoChain)!])).toThrow(
      /'NoChain' is at version 2 but its lens chain only reaches version 1/,
    );
  });

  it('rejects future lenses without down, and a name claimed twice', () => {
    const Ahead = defineEvent('Ahead', z.object({ a: z.string() }), {
      version: 1,
      upcast: upcast<{ a: string }>()
        .current()
        .lens<{ b: string }>(({ a }) => ({ b: a })),
    });
    expect(() => new Upcaster([eventDefinitionOf(Ahead)!])).toThrow(
      /from version 1 to 2 describes a version newer than the one this code emits \(1\), so it needs `down`/,
    );
    const Impostor = defineEvent('NameSet', z.object({}));
    expect(() => new Upcaster([eventDefinitionOf(ProfileSet)!, eventDefinitionOf(Impostor)!])).toThrow(
      /'NameSet' is claimed by two events/,
    );
  });

  it('round-trips bidirectional lenses: down(up(x)) equals x (property test)', () => {
    const [v1ToV2, v2ToV3] = profileSetHistory.lenses;
    const word = fc.stringMatching(/^[A-Za-z\u00C0-\u024F]{1,12}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), (words) => {
        const v1 = { name: words.join(' ') };
        expect(v1ToV2!.down!(v1ToV2!.up(v1, { metadata: {}, stream: undefined }))).toEqual(v1);
      }),
    );
    fc.assert(
      fc.property(fc.record({ firstName: word, lastName: word }), (v2) => {
        expect(v2ToV3!.down!(v2ToV3!.up(v2, { metadata: {}, stream: undefined }))).toEqual(v2);
      }),
    );
  });
});

describe('aggregates rehydrate through the chains', () => {
  it('rebuilds state from v1, v2, renamed, retired and current events', () => {
    const engine = engineFor(Profile);
    const profile = engine.create('p1');
    engine.replay(profile, [
      { id: '1', type: 'NameSet', schemaVersion: 1, payload: { name: 'Ada' } },
      { id: '2', type: 'ProfileViewed', schemaVersion: 1, payload: {} },
      {
        id: '3',
        type: 'ProfileChanged',
        schemaVersion: 1,
        payload: { name: 'Ada Lovelace', email: 'ada@example.com' },
      },
      { id: '4', type: 'Tagged', schemaVersion: 1, payload: { tag: 'math' } },
      { id: '5', type: 'Tagged', schemaVersion: 3, payload: { tags: [{ label: 'poetry' }] } },
    ]);
    expect(engine.stateOf(profile)).toEqual({
      version: 5,
      state: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        displayName: 'Ada Lovelace',
        email: 'ada@example.com',
        tags: ['math', 'poetry'],
      },
    });
  });

  it('emits the current version', async () => {
    const engine = engineFor(Profile);
    const decision = await engine.decide(engine.create('p1'), 'set', { firstName: 'Ada', lastName: 'Lovelace' });
    expect(decision.events[0]).toMatchObject({ type: 'ProfileSet', schemaVersion: 3 });
  });
});

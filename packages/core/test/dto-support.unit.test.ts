import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Aggregate,
  Command,
  DomainEvent,
  DtoSupportMissingError,
  defineEvent,
  Event,
  EventHandler,
  type PayloadOf,
} from '../src/index.js';
import { deserializeError, dtoJsonSchema, engineFor, httpStatusOfCode, serializeError } from '../src/internal.js';

// This file never imports '@escf/core/class-validator' (nor anything that
// does): class-validator, class-transformer and reflect-metadata are optional
// peers, and a DTO class without them fails with a typed error.

class Rename {
  name!: string;
}

const Renamed = defineEvent('Renamed', z.object({ name: z.string() }));
type Renamed = PayloadOf<typeof Renamed>;

@Event('Noted')
class Noted extends DomainEvent<Noted> {
  text!: string;
}

class Thing extends Aggregate<{ name: string }> {
  static readonly type = 'Thing';
  protected initialState() {
    return { name: '' };
  }

  @Command(Rename, { emits: [Renamed] })
  rename(input: Rename) {
    return new Renamed({ name: input.name });
  }

  @Command(z.object({ name: z.string() }), { emits: [Renamed] })
  renameWithSchema(input: { name: string }) {
    return new Renamed(input);
  }

  @Command(z.object({ text: z.string() }), { emits: [Noted] })
  note(input: { text: string }) {
    return new Noted({ text: input.text });
  }

  @EventHandler(Renamed)
  protected renamed(e: Renamed) {
    return { name: e.name };
  }

  @EventHandler(Noted)
  protected noted() {
    return this.state;
  }
}

describe('DTO support is optional', () => {
  it('refuses a DTO command input with DTO_SUPPORT_MISSING, saying what to install and import', async () => {
    const engine = engineFor(Thing);
    const thing = engine.create('t-1');
    const error = await engine.decide(thing, 'rename', { name: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DtoSupportMissingError);
    expect(error).toMatchObject({ code: 'DTO_SUPPORT_MISSING', details: { dtoClass: 'Rename' } });
    expect((error as Error).message).toContain("import '@escf/core/class-validator'");
    expect((error as Error).message).toContain('npm i class-validator class-transformer reflect-metadata');
    expect(engine.stateOf(thing).version).toBe(0);
  });

  it('refuses a class-based event the same way, before it is stored', async () => {
    const engine = engineFor(Thing);
    const thing = engine.create('t-2');
    await expect(engine.decide(thing, 'note', { text: 'x' })).rejects.toMatchObject({ code: 'DTO_SUPPORT_MISSING' });
    expect(engine.stateOf(thing).version).toBe(0);
  });

  it('keeps Standard Schema inputs and events working without it', async () => {
    const engine = engineFor(Thing);
    const thing = engine.create('t-3');
    const decision = await engine.decide(thing, 'renameWithSchema', { name: 'Ada' });
    expect(decision.events.map((e) => e.payload)).toEqual([{ name: 'Ada' }]);
  });

  it('cannot describe a DTO class for OpenAPI either', () => {
    expect(() => dtoJsonSchema(Rename)).toThrow(DtoSupportMissingError);
  });

  it('is a server-side error that survives a boundary', () => {
    expect(httpStatusOfCode('DTO_SUPPORT_MISSING')).toBe(500);
    const revived = deserializeError(
      serializeError(new DtoSupportMissingError('missing', { details: { dtoClass: 'Rename' } })),
    );
    expect(revived).toBeInstanceOf(DtoSupportMissingError);
  });
});

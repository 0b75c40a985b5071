import '../src/class-validator/index.js';
import { IsString } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Aggregate,
  type AggregateClass,
  Command,
  DefinitionError,
  DomainEvent,
  defineEvent,
  Event,
  EventHandler,
  OnHttp,
} from '../src/index.js';
import { createRegistry, describeAggregate } from '../src/internal.js';
import { Account, Deposited, Opened } from './fixtures.js';

const Pinged = defineEvent('Pinged', z.object({}));

/** Declares a class inside the test, so decorator errors surface where we can catch them. */
function declaring(declare: () => unknown): DefinitionError {
  try {
    describeAggregate(declare() as AggregateClass);
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return error as DefinitionError;
  }
  throw new Error('expected a DefinitionError');
}

describe('definition-time errors name the class and member and say how to fix it', () => {
  it('an aggregate without a stable type name', () => {
    const error = declaring(
      () =>
        class Nameless extends Aggregate<object> {
          protected initialState() {
            return {};
          }
        },
    );
    expect(error.message).toMatch(/Nameless has no stable type name.*static readonly type = 'Nameless'/);
  });

  it('an invalid type name', () => {
    expect(
      declaring(
        () =>
          class Bad extends Aggregate<object> {
            static readonly type = '1 bad';
            protected initialState() {
              return {};
            }
          },
      ).message,
    ).toMatch(/Bad.type/);
  });

  it('a command without an input definition', () => {
    const error = declaring(() => {
      class NoInput extends Aggregate<object> {
        static readonly type = 'NoInput';
        protected initialState() {
          return {};
        }
        @Command(undefined as never)
        go() {
          return [];
        }
      }
      return NoInput;
    });
    expect(error.message).toMatch(
      /@Command on NoInput.go: the input definition must be a Standard Schema.*z.object\(\{\}\)/,
    );
  });

  it('a handler for something that is not an event', () => {
    class NotAnEvent extends DomainEvent<NotAnEvent> {}
    const error = declaring(() => {
      class Handles extends Aggregate<object> {
        static readonly type = 'Handles';
        protected initialState() {
          return {};
        }
        @EventHandler(NotAnEvent)
        protected on() {
          return {};
        }
      }
      return Handles;
    });
    expect(error.message).toMatch(/@EventHandler on Handles.on: class NotAnEvent is not an event.*@Event\('Name'\)/);
  });

  it('an emitted event without a handler', () => {
    const error = declaring(() => {
      class Forgetful extends Aggregate<object> {
        static readonly type = 'Forgetful';
        protected initialState() {
          return {};
        }
        @Command(z.object({}), { emits: [Pinged] })
        ping() {
          return new Pinged({});
        }
      }
      return Forgetful;
    });
    expect(error.message).toMatch(/Forgetful.ping can emit 'Pinged' but Forgetful has no @EventHandler\(Pinged\)/);
  });

  it('an event handled twice', () => {
    const error = declaring(() => {
      class Twice extends Aggregate<object> {
        static readonly type = 'Twice';
        protected initialState() {
          return {};
        }
        @EventHandler(Pinged) protected a() {
          return {};
        }
        @EventHandler(Pinged) protected b() {
          return {};
        }
      }
      return Twice;
    });
    expect(error.message).toMatch(/Twice handles 'Pinged' twice \(a and b\)/);
  });

  it('two event classes with the same name', () => {
    const PingedAgain = defineEvent('Pinged', z.object({ n: z.number() }));
    const error = declaring(() => {
      class Clash extends Aggregate<object> {
        static readonly type = 'Clash';
        protected initialState() {
          return {};
        }
        @EventHandler(Pinged) protected a() {
          return {};
        }
        @EventHandler(PingedAgain) protected b() {
          return {};
        }
      }
      return Clash;
    });
    expect(error.message).toMatch(/two different classes named 'Pinged'/);
  });

  it('a decorator on a property or a static member', () => {
    expect(() => {
      class OnProperty extends Aggregate<object> {
        static readonly type = 'OnProperty';
        protected initialState() {
          return {};
        }
        @(Command(z.object({})) as unknown as PropertyDecorator) value = 1;
      }
      return OnProperty;
    }).toThrow(/@Command on OnProperty.value: it must decorate a method/);
    expect(() => {
      class OnStatic extends Aggregate<object> {
        static readonly type = 'OnStatic';
        protected initialState() {
          return {};
        }
        @(EventHandler(Pinged) as unknown as MethodDecorator) static on() {
          return {};
        }
      }
      return OnStatic;
    }).toThrow(/it must decorate an instance method, not a static member/);
  });

  it('@Command outside an Aggregate', () => {
    expect(() => {
      class Plain {
        @(Command(z.object({})) as unknown as MethodDecorator) go() {
          return [];
        }
      }
      return Plain;
    }).toThrow(/@Command on Plain.go: the class must extend Aggregate/);
  });

  it('an @Event class that does not extend DomainEvent', () => {
    expect(() => {
      @(Event('Loose') as unknown as ClassDecorator)
      class Loose {
        @IsString() x!: string;
      }
      return Loose;
    }).toThrow(/@Event\('Loose'\) on Loose: an event class must extend DomainEvent/);
  });

  it('standard (TC39) decorators: class-based events say they need experimentalDecorators; misplaced decorators are named', () => {
    const asStandard =
      (decorator: unknown, ...args: unknown[]) =>
      () =>
        (decorator as (...a: unknown[]) => unknown)(...args);
    const method = (name: string, extra: object = {}) => ({
      kind: 'method',
      name,
      static: false,
      private: false,
      metadata: {},
      ...extra,
    });
    expect(
      asStandard(Event('Standard'), class Standard extends DomainEvent<object> {}, { kind: 'class', name: 'Standard' }),
    ).toThrow(
      /@Event\('Standard'\) on Standard was compiled as a standard \(TC39\) decorator\. Class-based events validate their fields with class-validator.*"experimentalDecorators": true.*defineEvent\('Standard', z\.object/,
    );
    expect(asStandard(Command(z.object({})), () => [], method('go', { static: true }))).toThrow(
      /@Command on go: it must decorate an instance method, not a static member/,
    );
    expect(
      asStandard(EventHandler(Pinged), undefined, {
        kind: 'field',
        name: 'x',
        static: false,
        private: false,
        metadata: {},
      }),
    ).toThrow(/@EventHandler on x: it must decorate a method, not a field/);
    expect(asStandard(OnHttp('POST', '/x'), () => {}, method('#hidden', { private: true }))).toThrow(
      /not a #private one/,
    );
    const twice = method('go');
    asStandard(Command(z.object({})), () => [], twice)();
    expect(asStandard(Command(z.object({})), () => [], twice)).toThrow(/go has @Command twice/);
  });

  it('bad event names and versions', () => {
    expect(() => defineEvent('has space', z.object({}))).toThrow(/type name must be/);
    expect(() => defineEvent('Ok', z.object({}), { version: 0 })).toThrow(/version must be a whole number/);
  });

  it('a system where two aggregates share a type name or an event', () => {
    class AccountCopy extends Account {}
    (AccountCopy as unknown as { type: string }).type = 'Account';
    expect(() => createRegistry({ aggregates: [Account, AccountCopy] })).toThrow(
      /Two aggregate classes use the type name 'Account'/,
    );

    class Ledger extends Aggregate<object> {
      static readonly type = 'Ledger';
      protected initialState() {
        return {};
      }
      @EventHandler(Deposited) protected deposited() {
        return {};
      }
    }
    expect(() => createRegistry({ aggregates: [Account, Ledger] })).toThrow(
      /'Deposited' is handled by both Account and Ledger/,
    );
  });

  it('builds a registry of aggregates and the events they own', () => {
    const registry = createRegistry({ aggregates: [Account] });
    expect(registry.aggregate('Account').commands.has('deposit')).toBe(true);
    expect(registry.events.get('Opened')).toMatchObject({ aggregateType: 'Account', eventClass: Opened });
    expect(() => registry.aggregate('Nope')).toThrow(/No aggregate of type 'Nope'.*Known: Account/);
  });
});

import { DefinitionError } from '../errors/definition-error.js';
import type { EventClass, PayloadOf } from '../events/domain-event.js';
import type { EventEnvelope } from '../events/envelope.js';
import { eventDefinitionOf } from '../events/event.decorator.js';
import { checkedMethodContext, isStandardDecoratorContext } from '../metadata/decorator-mode.js';
import { MetadataKey } from '../metadata/metadata-keys.js';
import { defineMemberMetadata, defineStandardMemberMetadata } from '../metadata/metadata-store.js';
import { describeDefinition } from '../schema/input-definition.js';
import type { Aggregate } from './aggregate.js';
import { memberName } from './command.decorator.js';

/** What `@EventHandler` records about a method. */
export interface EventHandlerMetadata {
  readonly member: string | symbol;
  readonly event: EventClass;
}

/**
 * The decorator `@EventHandler(E)` returns. On an aggregate the method is a
 * reducer: it receives the event's payload and returns the next state. On a
 * projection or process it receives the whole envelope (ids, version,
 * metadata) and may be async. It works with TypeScript's experimental
 * decorators and with standard (TC39) decorators alike.
 */
export interface EventHandlerDecorator<E extends EventClass> {
  <S, M extends (event: PayloadOf<E>) => NoInfer<S>>(
    target: Aggregate<S>,
    member: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void;
  <M extends (event: EventEnvelope<PayloadOf<E>>, ...rest: any[]) => unknown>(
    target: object,
    member: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void;
  <S, M extends (event: PayloadOf<E>) => NoInfer<S>>(
    method: M,
    context: ClassMethodDecoratorContext<Aggregate<S>, M>,
  ): void;
  <M extends (event: EventEnvelope<PayloadOf<E>>, ...rest: any[]) => unknown>(
    method: M,
    context: ClassMethodDecoratorContext<object, M>,
  ): void;
}

/**
 * Marks a method as the handler of one event type.
 *
 * - In an `Aggregate`: a pure reducer `(payload) => nextState`, reading
 *   `this.state`. It must be deterministic and free of side effects: it runs
 *   again every time the aggregate is rebuilt from its events.
 * - In a `@Projection` or `@Process`: `(envelope, …) => Promise<void>`.
 *
 * @example
 * ```ts
 * @EventHandler(UserCreated)
 * protected created(e: UserCreated): UserState { return { ...this.state, status: 'active', name: e.name }; }
 * ```
 */
export function EventHandler<E extends EventClass>(event: E): EventHandlerDecorator<E> {
  const checkEvent = (where: string) => {
    if (!eventDefinitionOf(event)) {
      throw new DefinitionError(
        `@EventHandler on ${where}: ${describeDefinition(event)} is not an event. Declare it with @Event('Name') or defineEvent('Name', schema), and check for a circular import if it is undefined.`,
      );
    }
  };
  return ((target: object, memberOrContext: unknown, descriptor: PropertyDescriptor | undefined) => {
    if (isStandardDecoratorContext(memberOrContext)) {
      const context = checkedMethodContext(memberOrContext, '@EventHandler');
      checkEvent(String(context.name));
      if (
        !defineStandardMemberMetadata(context, MetadataKey.EventHandler, {
          member: context.name,
          event,
        } satisfies EventHandlerMetadata)
      ) {
        throw new DefinitionError(`${String(context.name)} has @EventHandler twice; give each event its own method.`);
      }
      return;
    }
    const member = memberOrContext as string | symbol;
    const where = memberName(target, member);
    if (typeof target === 'function') {
      throw new DefinitionError(`@EventHandler on ${where}: it must decorate an instance method, not a static member.`);
    }
    if (!descriptor || typeof descriptor.value !== 'function') {
      throw new DefinitionError(`@EventHandler on ${where}: it must decorate a method, not a property or accessor.`);
    }
    checkEvent(where);
    const recorded = defineMemberMetadata(target, MetadataKey.EventHandler, member, {
      member,
      event,
    } satisfies EventHandlerMetadata);
    if (!recorded) throw new DefinitionError(`${where} has @EventHandler twice; give each event its own method.`);
  }) as EventHandlerDecorator<E>;
}

import type { CommandAuthorization } from '../auth/command-authorization.js';
import { DefinitionError } from '../errors/definition-error.js';
import type { EventClass, PayloadOf } from '../events/domain-event.js';
import { eventDefinitionOf } from '../events/event.decorator.js';
import { checkedMethodContext, isStandardDecoratorContext } from '../metadata/decorator-mode.js';
import { MetadataKey } from '../metadata/metadata-keys.js';
import { defineMemberMetadata, defineStandardMemberMetadata } from '../metadata/metadata-store.js';
import {
  describeDefinition,
  type InferOutput,
  type InputDefinition,
  isDtoClass,
  isStandardSchema,
} from '../schema/input-definition.js';
import { Aggregate } from './aggregate.js';

/** What a command method may return: one event, several, or none — possibly asynchronously. */
export type CommandReturn<E> = E | readonly E[] | void | undefined;

/** Options of `@Command`. */
export interface CommandOptions<E extends readonly EventClass[], I = unknown> {
  /**
   * The events this command may emit. When given, the method's return type
   * is checked against them at compile time, the registry checks that each
   * has an `@EventHandler`, and emitting anything else is an error.
   */
  readonly emits?: E;
  /**
   * Who may run it: checked against the caller's principal before the
   * method runs (`UNAUTHORIZED` without one, `FORBIDDEN` if a rule says
   * no). See {@link CommandAuthorization}.
   */
  readonly authorize?: CommandAuthorization<I>;
}

/** What `@Command` records about a method. */
export interface CommandMetadata {
  readonly name: string;
  readonly input: InputDefinition;
  readonly emits: readonly EventClass[] | undefined;
  readonly authorize: CommandAuthorization<any> | undefined;
}

/** A command method for input definition `D` that may emit the events `E`. */
export type CommandMethod<D extends InputDefinition, E extends readonly EventClass[]> = (
  input: InferOutput<D>,
) => CommandReturn<PayloadOf<E[number]>> | Promise<CommandReturn<PayloadOf<E[number]>>>;

/**
 * The decorator `@Command(…)` returns. It works with TypeScript's
 * experimental decorators and with standard (TC39) decorators alike.
 */
export interface CommandDecorator<D extends InputDefinition, E extends readonly EventClass[]> {
  <M extends CommandMethod<D, E>>(target: Aggregate<any>, member: string, descriptor: TypedPropertyDescriptor<M>): void;
  <M extends CommandMethod<D, E>>(method: M, context: ClassMethodDecoratorContext<Aggregate<any>, M>): void;
}

/**
 * Marks a method of an {@link Aggregate} as a command. `input` defines and
 * validates what callers pass: a Standard Schema (e.g. zod) or a
 * class-validator DTO class. The method receives the validated input, reads
 * `this.state`, and returns the events that happen (or throws a
 * `DomainError`). The command's name is the method's name.
 *
 * @example
 * ```ts
 * @Command(CreateUser, { emits: [UserCreated, UserEmailVerificationIssued] })
 * async create(input: CreateUser) { … }
 * ```
 */
export function Command<D extends InputDefinition, const E extends readonly EventClass[] = readonly EventClass[]>(
  input: D,
  options: CommandOptions<E, InferOutput<D>> = {},
): CommandDecorator<D, E> {
  const authorize = options.authorize as CommandAuthorization<any> | undefined;
  const checkDefinition = (where: string) => {
    if (!isStandardSchema(input) && !isDtoClass(input)) {
      throw new DefinitionError(
        `@Command on ${where}: the input definition must be a Standard Schema (e.g. z.object({…})) or a class-validator DTO class, got ${describeDefinition(input)}. A command without input takes z.object({}).`,
      );
    }
    for (const [index, event] of (options.emits ?? []).entries()) {
      if (!eventDefinitionOf(event)) {
        throw new DefinitionError(
          `@Command on ${where}: emits[${index}] (${describeDefinition(event)}) is not an event. Declare it with @Event('Name') or defineEvent('Name', schema).`,
        );
      }
    }
  };
  return ((target: object, member: unknown, descriptor?: PropertyDescriptor): void => {
    if (isStandardDecoratorContext(member)) {
      // Standard decorators run before the class exists: whether it extends
      // Aggregate is checked when the registry describes it.
      const context = checkedMethodContext(member, '@Command');
      checkDefinition(String(context.name));
      const metadata: CommandMetadata = { name: String(context.name), input, emits: options.emits, authorize };
      if (!defineStandardMemberMetadata(context, MetadataKey.Command, metadata)) {
        throw new DefinitionError(`${String(context.name)} has @Command twice; a method is one command.`);
      }
      return;
    }
    const name = member as string;
    const where = memberName(target, name);
    assertAggregateMethod(target, name, descriptor, '@Command');
    checkDefinition(where);
    const recorded = defineMemberMetadata(target, MetadataKey.Command, name, {
      name,
      input,
      emits: options.emits,
      authorize,
    } satisfies CommandMetadata);
    if (!recorded) throw new DefinitionError(`${where} has @Command twice; a method is one command.`);
  }) as CommandDecorator<D, E>;
}

/** `ClassName.member`, for error messages. */
export function memberName(target: object, member: string | symbol): string {
  const owner = typeof target === 'function' ? target : target.constructor;
  return `${(owner as { name?: string }).name || '(anonymous class)'}.${String(member)}`;
}

export function assertAggregateMethod(
  target: object,
  member: string | symbol,
  descriptor: PropertyDescriptor | undefined,
  decorator: string,
): void {
  const where = memberName(target, member);
  if (typeof target === 'function') {
    throw new DefinitionError(`${decorator} on ${where}: it must decorate an instance method, not a static member.`);
  }
  if (!(target instanceof Aggregate)) {
    throw new DefinitionError(`${decorator} on ${where}: the class must extend Aggregate.`);
  }
  if (!descriptor || typeof descriptor.value !== 'function') {
    throw new DefinitionError(`${decorator} on ${where}: it must decorate a method, not a property or accessor.`);
  }
}

/** Marks event instances so that commands cannot return arbitrary objects. */
declare const EVENT_BRAND: unique symbol;

/** The data fields of an event class: its own properties, without methods. */
export type EventProps<E> = {
  [K in keyof E as K extends typeof EVENT_BRAND ? never : E[K] extends (...args: never[]) => unknown ? never : K]: E[K];
};

/**
 * Base class of every event. Class-based events extend it and are decorated
 * with `@Event(name)`; schema-based events come from `defineEvent`, which
 * builds such a class for you. Construct an event with its payload:
 * `new UserCreated({ name, email })`.
 *
 * An event's own enumerable properties are its payload; they must be JSON
 * values (strings, numbers, booleans, null, arrays and plain objects).
 *
 * @example
 * ```ts
 * @Event('UserCreated')
 * export class UserCreated extends DomainEvent<UserCreated> {
 *   @IsString() name!: string;
 *   @IsEmail() email!: string;
 * }
 * ```
 */
export abstract class DomainEvent<Self = unknown> {
  declare readonly [EVENT_BRAND]: true;

  constructor(payload: EventProps<Self>) {
    // `@Event` assigns again after subclass field initialisers have run, so
    // this also works when `useDefineForClassFields` resets declared fields.
    Object.assign(this, payload);
  }
}

/** A constructor of events, as accepted by `@EventHandler` and `emits`. */
export type EventClass<E extends DomainEvent<any> = DomainEvent<any>> = abstract new (payload: any) => E;

/** The payload (instance) type of an event class. */
export type PayloadOf<C> = C extends abstract new (payload: any) => infer E ? E : never;

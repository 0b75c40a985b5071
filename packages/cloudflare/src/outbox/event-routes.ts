/**
 * Which events each subscriber binding is sent. `escf generate` lists, per
 * queue or service binding, the event types its projection or process
 * handles; an event of a type the aggregate declares but the subscriber does
 * not handle is not sent (a queue message costs money). Bindings without a
 * list, and event types the aggregate does not declare (older or retired
 * names still pending in the outbox), are sent everything: routing only ever
 * leaves out what is known to be unwanted.
 */
export class EventRoutes {
  private readonly routes: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(
    routes: Readonly<Record<string, readonly string[]>>,
    private readonly declared: ReadonlySet<string>,
  ) {
    this.routes = new Map(Object.entries(routes).map(([binding, types]) => [binding, new Set(types)]));
  }

  /** True when the binding's subscriber only gets some event types. */
  filters(binding: string): boolean {
    return this.routes.has(binding);
  }

  /** True when events of `type` go to `binding`. */
  delivers(binding: string, type: string): boolean {
    const types = this.routes.get(binding);
    return !types || types.has(type) || !this.declared.has(type);
  }
}

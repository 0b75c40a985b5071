/**
 * @escf/core/upcast — reading stored events by hand: the {@link Upcaster}
 * that turns any stored version of an event into its newest shape (what
 * projections, processes and rebuilds use), for tools and tests of your
 * lens chains. The `@Upcast` decorator, `upcast()` and `retiredEvent()` are
 * in the root, `@escf/core`.
 *
 * @packageDocumentation
 */

export { eventDefinitionOf } from '../events/event.decorator.js';
export type { StoredEventReading } from './retired-event.js';
export { type ReadContext, type StoredEvent, Upcaster, type UpcastReading } from './upcaster.js';

// class-transformer's `@Type(() => Address)` — how nested and array DTOs are
// declared — calls `Reflect.getMetadata` when the class is defined, and
// throws without this polyfill. Loaded with DTO validation (so by any import
// of `@escf/core`): nested DTOs work out of the box. ESCF itself reads no
// reflected metadata (no `design:type`): this only keeps `@Type` from throwing.
import 'reflect-metadata';

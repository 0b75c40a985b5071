// class-transformer's `@Type(() => Address)` — how nested and array DTOs are
// declared — calls `Reflect.getMetadata` when the class is defined, and
// throws without this polyfill. Loaded by `@escf/core/class-validator`, so
// nested DTOs work once DTO support is imported. ESCF itself reads no
// reflected metadata (no `design:type`): this only keeps `@Type` from throwing.
import 'reflect-metadata';

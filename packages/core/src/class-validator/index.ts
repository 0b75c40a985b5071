/**
 * class-validator DTO support for `@escf/core`: import it at the top of the
 * modules that declare your DTO classes and class-based events (before the
 * classes are defined, so nested `@Type(() => Address)` DTOs work).
 *
 * ```ts
 * import '@escf/core/class-validator';
 * ```
 *
 * class-validator, class-transformer and reflect-metadata are optional peer
 * dependencies: an application without DTO classes installs none of them.
 * Without this import, a DTO class fails with `DTO_SUPPORT_MISSING`.
 *
 * @packageDocumentation
 */
// First: class-transformer's `@Type` needs Reflect.getMetadata when a DTO class is defined.
import './reflect-metadata-polyfill.js';
import { installDtoSupport } from '../schema/dto-support.js';
import { classValidatorSupport } from './class-validator-support.js';

installDtoSupport(classValidatorSupport);

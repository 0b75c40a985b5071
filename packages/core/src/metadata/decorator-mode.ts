import { DefinitionError } from '../errors/definition-error.js';

/**
 * ESCF's decorators work both as TypeScript's experimental decorators
 * (`experimentalDecorators: true`: `(target, member, descriptor)`) and as
 * standard TC39 decorators (TypeScript's default: `(value, context)`).
 * The second argument tells them apart: only a TC39 context is an object
 * with a `kind`.
 */
export function isStandardDecoratorContext(argument: unknown): argument is DecoratorContext {
  return typeof argument === 'object' && argument !== null && 'kind' in argument;
}

/**
 * Class-based events and DTOs validate with class-validator, whose property
 * decorators exist only as experimental decorators: a class event compiled
 * as a standard decorator cannot validate anything. Says so, and what to do.
 */
export function classValidatorNeedsExperimentalDecorators(decorator: string, className: string): DefinitionError {
  return new DefinitionError(
    `${decorator} on ${className} was compiled as a standard (TC39) decorator. Class-based events validate their fields with class-validator, whose decorators need TypeScript's experimental decorators: set "experimentalDecorators": true (and "useDefineForClassFields": false) in the tsconfig.json your bundler reads — wrangler, esbuild and vitest look for the nearest one — or declare the event with a schema, which works with both kinds of decorators: defineEvent('${className}', z.object({ … }), { version, upcast }).`,
  );
}

/** A standard method decorator's context, checked: an instance method with a public name. */
export function checkedMethodContext(context: DecoratorContext, decorator: string): ClassMethodDecoratorContext {
  const where = `${decorator} on ${String(context.name ?? '(anonymous)')}`;
  if (context.kind !== 'method') {
    throw new DefinitionError(`${where}: it must decorate a method, not a ${context.kind}.`);
  }
  if (context.static) throw new DefinitionError(`${where}: it must decorate an instance method, not a static member.`);
  if (context.private)
    throw new DefinitionError(`${where}: it must decorate a public or protected method, not a #private one.`);
  return context;
}

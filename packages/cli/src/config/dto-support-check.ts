import type { LoadedConfig } from './config-loader.js';

type Core = LoadedConfig['core'];

/**
 * Why an aggregate's DTO classes (command inputs, class-based events) could
 * not be validated when it runs, or `undefined`: DTO support is an optional
 * peer of `@escf/core`, loaded by `import '@escf/core/class-validator'` in
 * the domain. Asked of the `@escf/core` bundled with the config, the one the
 * domain's own import would have installed it in.
 */
export function missingDtoSupport(core: Core, descriptor: ReturnType<Core['describeAggregate']>): string | undefined {
  const definitions = [
    ...[...descriptor.commands.values()].map((command) => command.input),
    ...[...descriptor.reducers.values()].map((reducer) => reducer.event.schema),
  ];
  for (const definition of definitions) {
    if (!core.isDtoClass(definition)) continue;
    try {
      core.dtoJsonSchema(definition);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'DTO_SUPPORT_MISSING') return (error as Error).message;
      throw error;
    }
  }
  return undefined;
}

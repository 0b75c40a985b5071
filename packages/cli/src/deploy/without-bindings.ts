import { applyEdits, modify, parse } from 'jsonc-parser';
import type { WorkerDependency } from './worker-dependencies.js';

/**
 * The wrangler.jsonc text without the given bindings (service bindings by
 * `binding`, Durable Object bindings by `name`): the config of a first deploy
 * that must not point at workers that do not exist yet. Comments and every
 * other setting stay.
 */
export function withoutBindings(text: string, dependencies: readonly WorkerDependency[]): string {
  const removals: [path: (string | number)[], key: string, names: Set<string>][] = [
    [['services'], 'binding', new Set(dependencies.filter((d) => d.via === 'service').map((d) => d.binding))],
    [
      ['durable_objects', 'bindings'],
      'name',
      new Set(dependencies.filter((d) => d.via === 'durable-object').map((d) => d.binding)),
    ],
  ];
  for (const [path, key, names] of removals) {
    const config = parse(text, [], { allowTrailingComma: true }) as Record<string, unknown>;
    const entries = path.reduce<unknown>(
      (value, part) => (value as Record<string, unknown> | undefined)?.[part as string],
      config,
    );
    if (!Array.isArray(entries)) continue;
    // From the end, so earlier indexes stay valid.
    for (let index = entries.length - 1; index >= 0; index--) {
      if (names.has((entries[index] as Record<string, unknown>)?.[key] as string))
        text = applyEdits(text, modify(text, [...path, index], undefined, {}));
    }
  }
  return text;
}

import { ConfigError } from '../config/config-error.js';
import { MIGRATION_TAG_PREFIX } from '../model/naming.js';

/** One entry of wrangler's `migrations` array (the fields ESCF reads and writes). */
export interface DurableObjectMigration {
  readonly tag: string;
  readonly new_classes?: readonly string[];
  readonly new_sqlite_classes?: readonly string[];
  readonly renamed_classes?: readonly { readonly from: string; readonly to: string }[];
  readonly deleted_classes?: readonly string[];
}

/** What the migrations of one API worker must become. */
export interface MigrationRequest {
  /** Durable Object classes that must exist after deploy. */
  readonly classes: readonly string[];
  readonly renamed: readonly { readonly from: string; readonly to: string }[];
  readonly deleted: readonly string[];
  /** For error messages, e.g. `workers.api`. */
  readonly where: string;
}

/**
 * The Durable Object classes alive after ESCF's own migrations (tags
 * `escf-v*`); the user's migrations describe their own classes and are
 * left alone.
 */
export function liveEscfClasses(migrations: readonly DurableObjectMigration[]): Map<string, string> {
  const live = new Map<string, string>(); // class → tag that introduced it
  for (const migration of migrations) {
    if (typeof migration?.tag !== 'string' || !migration.tag.startsWith(MIGRATION_TAG_PREFIX)) continue;
    for (const name of [...(migration.new_sqlite_classes ?? []), ...(migration.new_classes ?? [])])
      live.set(name, migration.tag);
    for (const { from, to } of migration.renamed_classes ?? []) {
      live.delete(from);
      live.set(to, migration.tag);
    }
    for (const name of migration.deleted_classes ?? []) live.delete(name);
  }
  return live;
}

/**
 * The migration to append so the deployed classes match the request, or
 * `undefined` when they already do. Migrations are append-only: earlier
 * entries are never changed. A class that disappeared without a
 * `renamed`/`deleted` declaration is an error, because deploying its
 * deletion would destroy its data.
 */
export function nextMigration(
  existing: readonly DurableObjectMigration[],
  request: MigrationRequest,
): DurableObjectMigration | undefined {
  const live = liveEscfClasses(existing);
  const wanted = new Set(request.classes);
  const renamed = request.renamed.filter(({ from, to }) => live.has(from) && !live.has(to));
  const renamedTo = new Set(renamed.map((r) => r.to));
  const deleted = request.deleted.filter((name) => live.has(name));
  const created = request.classes.filter((name) => !live.has(name) && !renamedTo.has(name));

  const handled = new Set([...wanted, ...renamed.map((r) => r.from), ...deleted]);
  const orphans = [...live.keys()].filter((name) => !handled.has(name));
  if (orphans.length > 0) {
    const name = orphans[0]!;
    const type = name.replace(/Aggregate$/, '');
    throw new ConfigError(
      `${request.where}.aggregates: ${name} (aggregate type '${type}') was deployed by migration '${live.get(name)}' but is no longer in \`aggregates\`. ` +
        `Removing it deletes every ${type} and its data. If that is what you want, add \`deleted: ['${type}']\`; if the type was renamed, add \`renamed: [{ from: '${type}', to: 'NewType' }]\`.`,
    );
  }
  if (created.length === 0 && renamed.length === 0 && deleted.length === 0) return undefined;

  const tags = new Set(existing.map((m) => m?.tag));
  let n = existing.filter((m) => typeof m?.tag === 'string' && m.tag.startsWith(MIGRATION_TAG_PREFIX)).length + 1;
  while (tags.has(`${MIGRATION_TAG_PREFIX}${n}`)) n++;
  return {
    tag: `${MIGRATION_TAG_PREFIX}${n}`,
    ...(created.length > 0 ? { new_sqlite_classes: created } : {}),
    ...(renamed.length > 0 ? { renamed_classes: renamed } : {}),
    ...(deleted.length > 0 ? { deleted_classes: deleted } : {}),
  };
}

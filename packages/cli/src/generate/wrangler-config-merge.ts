import {
  applyEdits,
  type FormattingOptions,
  type JSONPath,
  modify,
  type ParseError,
  parse,
  printParseErrorCode,
} from 'jsonc-parser';
import { ConfigError } from '../config/config-error.js';
import type { TracingModel } from '../model/system-model.js';
import { type DurableObjectMigration, type MigrationRequest, nextMigration } from './durable-object-migrations.js';
import { MANAGED_SECTIONS, type ManagedEntry, type SectionName, type WorkerBindings } from './worker-bindings.js';

/** The binding keys ESCF wrote last time, per section: what it may remove when they are no longer wanted. */
export type ManagedManifest = Partial<Record<SectionName | 'crons' | 'vars', readonly string[]>>;

/** What to merge into one worker's wrangler.jsonc. */
export interface WranglerMergeInput {
  /** Current file content, or undefined when the file does not exist yet. */
  readonly text: string | undefined;
  /** Shown in parse errors. */
  readonly fileLabel: string;
  readonly workerName: string;
  readonly main: string;
  readonly compatibilityDate: string;
  readonly bindings: WorkerBindings;
  readonly previous: ManagedManifest;
  /** API workers only: the Durable Object classes the migrations must lead to. */
  readonly migrations: MigrationRequest | undefined;
  /** Tracing on: the `vars` it needs and the compatibility flag of AsyncLocalStorage. */
  readonly tracing?: TracingModel | undefined;
  /** Crons only ESCF may use (the archive schedule): the user's own entry with the same cron is refused. */
  readonly exclusiveCrons?: readonly string[];
}

/**
 * Merges ESCF's bindings into a wrangler.jsonc with jsonc-parser's `modify`,
 * which edits the text in place: the user's own settings, comments and
 * formatting survive, and a file that is already up to date comes back
 * byte-for-byte unchanged. ESCF only touches entries it manages (by binding
 * name); fields listed as defaults are written only when absent, so the
 * user may change them (e.g. `database_id`, `max_batch_size`).
 */
export function mergeWranglerConfig(input: WranglerMergeInput): { text: string; manifest: ManagedManifest } {
  let text = input.text ?? newFileTemplate(input.workerName);
  const formatting = detectFormatting(text);
  const read = (): Record<string, unknown> => {
    const errors: ParseError[] = [];
    const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
    if (errors.length > 0) {
      const first = errors[0]!;
      const line = text.slice(0, first.offset).split('\n').length;
      throw new ConfigError(
        `${input.fileLabel}:${line}: ${printParseErrorCode(first.error)}. Fix the file by hand, then run escf generate again.`,
      );
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new ConfigError(`${input.fileLabel}: expected a JSON object.`);
    return value as Record<string, unknown>;
  };
  const set = (path: JSONPath, value: unknown, isArrayInsertion = false) => {
    text = applyEdits(text, modify(text, path, value, { formattingOptions: formatting, isArrayInsertion }));
  };
  const append = (path: JSONPath, value: unknown) => {
    if (arrayExists(read(), path)) set([...path, -1], value, true);
    else set(path, [value]);
  };

  const config = read();
  if (config.name !== input.workerName) set(['name'], input.workerName);
  if (config.main !== input.main) set(['main'], input.main);
  if (config.compatibility_date === undefined) set(['compatibility_date'], input.compatibilityDate);

  const manifest: Record<string, string[]> = {};
  for (const section of Object.keys(MANAGED_SECTIONS) as SectionName[]) {
    const { path, keyField } = MANAGED_SECTIONS[section];
    const wanted = input.bindings.sections[section];
    const stale = (input.previous[section] ?? []).filter((key) => !wanted.some((e) => e.key === key));
    // Remove from the end so earlier indexes stay valid.
    const current = () => arrayAt(read(), path, input.fileLabel);
    const staleIndexes = current()
      .map((entry, index) => ({ key: (entry as Record<string, unknown> | null)?.[keyField], index }))
      .filter(({ key }) => typeof key === 'string' && stale.includes(key))
      .map(({ index }) => index)
      .reverse();
    for (const index of staleIndexes) set([...path, index], undefined);
    for (const entry of wanted) upsertEntry(entry, path, keyField, current(), set, append);
    if (wanted.length > 0) manifest[section] = wanted.map((e) => e.key);
    if (stale.length > 0 && current().length === 0 && arrayExists(read(), path)) removeEmpty(path, read, set);
  }

  // The archive cron runs only the archiver: a job of the user's on the same cron string would never run.
  for (const cron of input.exclusiveCrons ?? []) {
    const listed = arrayAt(read(), ['triggers', 'crons'], input.fileLabel);
    if (listed.includes(cron) && !(input.previous.crons ?? []).includes(cron)) {
      throw new ConfigError(
        `${input.fileLabel}: \`triggers.crons\` already lists '${cron}', the cron of archive.schedule, whose invocations run only the archiver. Give your own job or archive.schedule another cron string (the same times can be written differently, e.g. '0,15,30,45 * * * *' for '*/15 * * * *'); if that cron ran an archiver you wrote by hand, remove it and that archiver: escf generate now writes it.`,
      );
    }
  }

  // Crons: additive, and stale ones written by ESCF are removed.
  const staleCrons = (input.previous.crons ?? []).filter((cron) => !input.bindings.crons.includes(cron));
  const crons = () => arrayAt(read(), ['triggers', 'crons'], input.fileLabel);
  for (const index of crons()
    .map((c, i) => (staleCrons.includes(c as string) ? i : -1))
    .filter((i) => i >= 0)
    .reverse()) {
    set(['triggers', 'crons', index], undefined);
  }
  for (const cron of input.bindings.crons) {
    if (!crons().includes(cron)) append(['triggers', 'crons'], cron);
  }
  if (input.bindings.crons.length > 0) manifest.crons = [...input.bindings.crons];
  // Like sections: no `"triggers": { "crons": [] }` is left behind once ESCF's last cron went away.
  if (staleCrons.length > 0 && crons().length === 0 && arrayExists(read(), ['triggers', 'crons']))
    removeEmpty(['triggers', 'crons'], read, set);

  // Tracing: ESCF's vars (removed again when tracing is), and AsyncLocalStorage (nodejs_als, part of nodejs_compat).
  const vars = input.tracing ? tracingVars(input.tracing) : {};
  for (const stale of (input.previous.vars ?? []).filter((name) => !(name in vars))) {
    if ((read().vars as Record<string, unknown> | undefined)?.[stale] !== undefined) set(['vars', stale], undefined);
  }
  for (const [name, value] of Object.entries(vars)) {
    if ((read().vars as Record<string, unknown> | undefined)?.[name] !== value) set(['vars', name], value);
  }
  if (Object.keys(vars).length > 0) manifest.vars = Object.keys(vars);
  if (input.tracing) {
    const flags = read().compatibility_flags;
    const list = Array.isArray(flags) ? flags : [];
    if (!list.includes('nodejs_als') && !list.includes('nodejs_compat')) append(['compatibility_flags'], 'nodejs_als');
  }

  if (input.migrations) {
    const migrations = arrayAt(read(), ['migrations'], input.fileLabel) as DurableObjectMigration[];
    const next = nextMigration(migrations, input.migrations);
    if (next) append(['migrations'], next);
  }
  return { text, manifest };
}

/** The `vars` tracing writes: the endpoint (when the config names one) and the sampling ratio. */
function tracingVars(tracing: TracingModel): Record<string, string> {
  return {
    ...(tracing.endpoint === undefined ? {} : { ESCF_OTLP_ENDPOINT: tracing.endpoint }),
    ESCF_TRACE_SAMPLE_RATIO: String(tracing.sampleRatio),
  };
}

function upsertEntry(
  entry: ManagedEntry,
  path: readonly (string | number)[],
  keyField: string,
  entries: readonly unknown[],
  set: (path: JSONPath, value: unknown) => void,
  append: (path: JSONPath, value: unknown) => void,
): void {
  const index = entries.findIndex((e) => (e as Record<string, unknown> | null)?.[keyField] === entry.key);
  if (index === -1) {
    // Enforced fields first (key field leading) and winning over defaults.
    append([...path], { ...entry.enforced, ...entry.defaults, ...entry.enforced });
    return;
  }
  const existing = entries[index] as Record<string, unknown>;
  for (const [field, value] of Object.entries(entry.enforced)) {
    if (!sameJson(existing[field], value)) set([...path, index, field], value);
  }
  for (const [field, value] of Object.entries(entry.defaults ?? {})) {
    if (existing[field] === undefined && !(field in entry.enforced)) set([...path, index, field], value);
  }
}

function arrayAt(config: Record<string, unknown>, path: readonly (string | number)[], fileLabel: string): unknown[] {
  let value: unknown = config;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') {
      value = undefined;
      break;
    }
    value = (value as Record<string | number, unknown>)[segment];
  }
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError(`${fileLabel}: \`${path.join('.')}\` must be an array.`);
  return value;
}

function arrayExists(config: Record<string, unknown>, path: readonly (string | number)[]): boolean {
  let value: unknown = config;
  for (const segment of path)
    value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[segment] : undefined;
  return Array.isArray(value);
}

/** A section ESCF emptied (its last managed entry went away) is removed, so no `"services": []` is left behind. */
function removeEmpty(
  path: readonly (string | number)[],
  read: () => Record<string, unknown>,
  set: (path: JSONPath, value: unknown) => void,
): void {
  set([...path], undefined);
  // `queues: {}` / `durable_objects: {}` left empty too.
  const parent = path.slice(0, -1);
  if (parent.length > 0) {
    let value: unknown = read();
    for (const segment of parent) value = (value as Record<string | number, unknown> | undefined)?.[segment];
    if (value && typeof value === 'object' && Object.keys(value).length === 0) set([...parent], undefined);
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function detectFormatting(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

function newFileTemplate(workerName: string): string {
  return `// Wrangler configuration of ${workerName}.
// \`escf generate\` manages ESCF's bindings here (listed in escf.managed.json);
// every other setting and comment is yours and is kept.
{
}
`;
}

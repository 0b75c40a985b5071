import { ensureProjectionSchema, ProjectionApplier, ProjectionRebuild } from '@escf/cloudflare/delivery';
import { type Clock, type EventEnvelope, type ProjectionClass, type ProjectionQueries, systemClock } from '@escf/core';
import { describeProjection, reactorBindings } from '@escf/core/internal';
import { expect } from 'vitest';
import { type GivenEvent, type StreamEvents, storeGivenEvents } from './given-events.js';
import { sqliteD1Database } from './sqlite-d1-database.js';

/** Options of {@link projectionScenario}. */
export interface ProjectionScenarioOptions<Env> {
  /** The read model's tables: SQL statements (or one script of `;`-separated statements) run once per scenario on a fresh database. */
  readonly schema?: string | readonly string[];
  /** The `env` the projection is constructed with; default `{ <NAME>_DB: db }`. */
  readonly env?: (db: D1Database) => Env;
  /**
   * The database: default a fresh in-memory SQLite per scenario (plain Node,
   * `node:sqlite`). In workerd pass a D1 binding, e.g. `() => env.BALANCES_DB`;
   * the scenario empties the projection's read model and checkpoints first.
   */
  readonly database?: () => D1Database | Promise<D1Database>;
  /** Check that a rebuild from the log yields the same rows as live delivery (needs `resetReadModel()`); default true. */
  readonly checkRebuild?: boolean;
  /** Event timestamps; default the system clock. */
  readonly clock?: Clock;
}

/** What a projection scenario hands its checks. */
export interface ProjectionScenarioResult<P> {
  /** The projection instance, after every event was applied (and re-applied, and rebuilt). */
  readonly projection: P;
  readonly db: D1Database;
  /** The events as stored in the log, with positions. */
  readonly events: readonly EventEnvelope[];
  /** The read model's rows, by table (ESCF's own tables left out). */
  readonly rows: Readonly<Record<string, ReadonlyArray<Record<string, unknown>>>>;
}

/**
 * Given/then for a projection, on the real delivery runtime
 * (`@escf/cloudflare/delivery`) over a real SQLite database: the given
 * events (instances, or stored events at any schema version, upcast on the
 * way in) are applied in log order, then **checked for free**:
 *
 * - idempotence: delivering every event again changes no row;
 * - rebuild equals live: a rebuild from the log yields the same rows.
 *
 * Runs in plain Node (`node:sqlite`) and, with `database`, unchanged in workerd.
 *
 * @example
 * ```ts
 * const balances = projectionScenario(Balances, { schema: BALANCES_SCHEMA });
 * await balances
 *   .given(inStream(Account, 'a1', new AccountOpened({ owner: 'Ada', currency: 'EUR' }), new Deposited({ amount: 50 })))
 *   .thenQuery('balance', ['a1'], { accountId: 'a1', balance: 50, currency: 'EUR' });
 * ```
 */
export function projectionScenario<P extends object, Env extends object = any>(
  projectionClass: ProjectionClass<P, Env>,
  options: ProjectionScenarioOptions<Env> = {},
) {
  const descriptor = describeProjection(projectionClass);
  return {
    /** The events, in log order: instances or stored events on the default stream, or whole streams from `inStream(…)`. */
    given(...given: Array<GivenEvent | StreamEvents | EventEnvelope>) {
      return new ProjectionThen<P>(async () => {
        const db = options.database ? await options.database() : await sqliteD1Database();
        for (const sql of statementsOf(options.schema)) await db.prepare(sql).run();
        await ensureProjectionSchema(db);
        const env = options.env
          ? options.env(db)
          : ({ [reactorBindings(descriptor.bindingPrefix).database]: db } as unknown as Env);
        const projection = new projectionClass(env);
        const clock = options.clock ?? systemClock;
        const { store, events } = await storeGivenEvents(given, () => clock.now());
        const head = events.at(-1)?.position ?? 0;
        const rebuild = () => new ProjectionRebuild(descriptor, projection, db, store, 3, async () => head);
        const canRebuild = typeof (projection as { resetReadModel?: unknown }).resetReadModel === 'function';
        // A shared (workerd) database may hold an earlier scenario's rows and checkpoints.
        if (canRebuild) await rebuild().start();
        else await db.prepare('DELETE FROM escf_projection_streams WHERE projection = ?1').bind(descriptor.name).run();

        const live = new ProjectionApplier(descriptor, projection, db, store);
        for (const event of events)
          expect(await live.apply(event), `${event.type} v${event.version} of ${event.aggregateId}`).toBe('applied');
        const rows = await readModelRows(db);

        const again = new ProjectionApplier(descriptor, projection, db, store);
        for (const event of events)
          expect(await again.apply(event), `redelivered ${event.type} v${event.version}`).toBe('duplicate');
        expect(await readModelRows(db), 'a redelivery must change no row').toEqual(rows);

        if (options.checkRebuild ?? true) {
          if (!canRebuild) {
            throw new TypeError(
              `projectionScenario(${descriptor.name}): add resetReadModel() to check that a rebuild equals live delivery, or pass { checkRebuild: false }.`,
            );
          }
          const rebuilder = rebuild();
          await rebuilder.start();
          while ((await rebuilder.step()).more);
          expect(await readModelRows(db), 'a rebuild from the log must yield the rows live delivery did').toEqual(rows);
        }
        return { projection, db, events, rows };
      });
    },
  };
}

/** The assertions of a projection scenario; each runs the scenario afresh. */
export class ProjectionThen<P> {
  constructor(private readonly run: () => Promise<ProjectionScenarioResult<P>>) {}

  /** Runs the scenario and hands its result to `check` (query the projection, read rows). */
  // biome-ignore lint/suspicious/noThenProperty: a scenario is awaited to run it, by design
  async then(check: (result: ProjectionScenarioResult<P>) => unknown): Promise<ProjectionScenarioResult<P>> {
    const result = await this.run();
    await check(result);
    return result;
  }

  /** Expects a query method, called with `args`, to return `expected` (`toEqual`, so matchers work). */
  async thenQuery<K extends keyof ProjectionQueries<P> & string>(
    query: K,
    args: P[K] extends (...a: infer A) => unknown ? A : never,
    expected: unknown,
  ): Promise<ProjectionScenarioResult<P>> {
    return this.then(async ({ projection }) => {
      const method = (projection as Record<string, (...a: unknown[]) => unknown>)[query]!;
      expect(await method.apply(projection, args as unknown[])).toEqual(expected);
    });
  }

  /** Expects a SQL query on the read model to return these rows. */
  async thenRows(sql: string, expected: ReadonlyArray<Record<string, unknown>>): Promise<ProjectionScenarioResult<P>> {
    return this.then(async ({ db }) => {
      expect((await db.prepare(sql).all()).results).toEqual(expected);
    });
  }
}

function statementsOf(schema: string | readonly string[] | undefined): string[] {
  if (schema === undefined) return [];
  if (typeof schema !== 'string') return [...schema];
  return schema
    .split(/;\s*(?:\n|$)/)
    .map((sql) => sql.trim())
    .filter(Boolean);
}

/** Every row of every read-model table, sorted, to compare models. */
async function readModelRows(db: D1Database): Promise<Record<string, Array<Record<string, unknown>>>> {
  const { results: tables } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'escf_%' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
    )
    .all<{ name: string }>();
  const rows: Record<string, Array<Record<string, unknown>>> = {};
  for (const { name } of tables) {
    const { results } = await db
      .prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`)
      .all<Record<string, unknown>>();
    rows[name] = results.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  return rows;
}

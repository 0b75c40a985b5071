import { DefinitionError, type ProjectionClass } from '@escf/core';
import { type DatabaseRole, readActiveDatabase } from './projection-active-database.js';
import type { ProjectionSettings } from './projection-settings.js';

/** The database and projection instance of one side of a blue/green projection (or the only one). */
export interface ProjectionSide {
  readonly db: D1Database;
  readonly projection: object;
}

/**
 * A projection's databases and instances for one entrypoint instance: the
 * primary side, and with `standbyDatabase` the standby side and which of the
 * two is active (blue/green rebuilds). Instances are constructed on first use.
 */
export class ProjectionSides<P extends object, Env> {
  private primaryInstance: P | undefined;
  private standbyInstance: P | undefined;

  constructor(
    private readonly settings: ProjectionSettings<Env>,
    private readonly projectionClass: ProjectionClass<P, Env>,
    private readonly env: Env,
  ) {}

  /** The projection instance over the primary database. */
  get projection(): P {
    return (this.primaryInstance ??= new this.projectionClass(this.env));
  }

  /** The primary database, which also holds the active-side record. */
  get db(): D1Database {
    const binding = this.settings.databaseBinding;
    const db = (this.env as Record<string, unknown>)[binding] as D1Database | undefined;
    if (!db)
      throw new DefinitionError(
        `Projection '${this.settings.descriptor.name}' needs the D1 binding '${binding}' (its own database).`,
      );
    return db;
  }

  /** Whether this projection has a standby database (blue/green rebuilds). */
  get blueGreen(): boolean {
    return this.settings.standbyBinding !== undefined;
  }

  /** One side; the standby's projection instance gets an `env` whose database binding is the standby database. */
  side(role: DatabaseRole): ProjectionSide {
    if (role === 'primary') {
      const sides = this;
      return {
        db: this.db,
        get projection() {
          return sides.projection; // constructed only if used
        },
      };
    }
    const binding = this.settings.standbyBinding!;
    const db = (this.env as Record<string, unknown>)[binding] as D1Database | undefined;
    if (!db)
      throw new DefinitionError(
        `Projection '${this.settings.descriptor.name}' needs the D1 binding '${binding}' (its standbyDatabase).`,
      );
    this.standbyInstance ??= new this.projectionClass({
      ...(this.env as object),
      [this.settings.databaseBinding]: db,
    } as Env);
    return { db, projection: this.standbyInstance };
  }

  /**
   * The side queries and live deliveries use. Blue/green projections read
   * the record from the primary database on every call, never from a
   * per-isolate cache: a rebuild switches the active side and then reads
   * the log once more into the new side, which covers every delivery that
   * decided on the old side before the switch (its events were in the log
   * before it was delivered, so before the switch). A delivery that read a
   * cached record after that last read would apply to the old side only,
   * and the new model would miss its events.
   */
  async active(): Promise<ProjectionSide> {
    if (!this.blueGreen) return this.side('primary');
    return this.side((await readActiveDatabase(this.db, this.settings.descriptor.name)).active);
  }

  /** The role whose rebuild a step continues: the one being rebuilt, else the active one (to finish a switched rebuild). */
  async rebuilding(): Promise<DatabaseRole> {
    if (!this.blueGreen) return 'primary';
    const record = await readActiveDatabase(this.db, this.settings.descriptor.name);
    return record.rebuilding ?? record.active;
  }
}

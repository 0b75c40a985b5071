// Blue/green rebuilds (`standbyDatabase`): the rebuild fills the inactive
// database while queries and live deliveries use the complete active one,
// then switches. Steps are driven by hand (rebuildStep), so the tests can
// look at the model between them.
import { describe, expect, it } from 'vitest';
import {
  beginRebuild,
  readActiveDatabase,
  switchActiveDatabase,
} from '../../src/projection/projection-active-database.js';
import { appendToLog, counters, envelope, modelFromLog, tallies, testEnv, uniqueId } from './helpers.js';

const bg = () => testEnv.TALLY_BG;
const live = () => counters(testEnv, { sync: true }).blueGreenCounter;

/** The tally rows of one database, read directly (not through the projection's routing). */
async function rowsOf(db: D1Database): Promise<Array<{ id: string; total: number; history: string }>> {
  return (
    await db
      .prepare('SELECT id, total, history FROM tally ORDER BY id')
      .all<{ id: string; total: number; history: string }>()
  ).results;
}

/** Steps the running rebuild until it is done; `between` runs after every step that leaves it running. */
async function finishRebuild(between: () => Promise<void> = async () => {}): Promise<number> {
  for (let steps = 1; ; steps++) {
    const status = await bg().rebuildStep();
    if (status?.status === 'done') return steps;
    expect(steps).toBeLessThan(10_000);
    await between();
  }
}

/**
 * History the projection never received live (written straight to the log),
 * then a first rebuild: afterwards its model is complete.
 */
async function completeModel(): Promise<void> {
  for (let n = 0; n < 10; n++) {
    const id = uniqueId('bg-history');
    await appendToLog(
      id,
      [1, 2, 3, 4].map((version) => envelope(id, version, 'Counted', { by: version }, 2)),
    );
  }
  await bg().rebuild();
  await finishRebuild();
  expect(await tallies().TALLY_BG.everything()).toEqual(await modelFromLog());
}

describe('projectionEntrypoint: blue/green rebuild (standbyDatabase)', () => {
  it('queries read the complete old model during a rebuild, the new one after it; live events land once', async () => {
    await completeModel();
    const before = await bg().status();
    const active = before.databases!.active;
    const other = active === 'TALLY_BG_DB' ? 'TALLY_BG_DB_NEXT' : 'TALLY_BG_DB';
    expect(before.databases).toEqual({ active, rebuilding: null });

    const oldModel = await tallies().TALLY_BG.everything();
    expect(oldModel).toEqual(await modelFromLog());
    const started = await bg().rebuild();
    expect(started).toMatchObject({ status: 'running', cursor: 0, applied: 0 });
    expect(started.target).toBeGreaterThan(14); // more than two steps of 7
    expect((await bg().status()).databases).toEqual({ active, rebuilding: other });
    // The rebuilding database was emptied; queries still see everything.
    expect(await rowsOf(testEnv[other])).toEqual([]);
    expect(await tallies().TALLY_BG.everything()).toEqual(oldModel);

    await bg().rebuildStep();
    const partial = await rowsOf(testEnv[other]);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial).not.toEqual(oldModel);
    expect(await tallies().TALLY_BG.everything()).toEqual(oldModel);
    const progress = await bg().status();
    expect(progress.rebuild).toMatchObject({ status: 'running', cursor: 7, applied: 7 });
    expect(progress.databases).toEqual({ active, rebuilding: other });

    // Live events between steps: applied to the active model at once, and read from the log by the rebuild.
    const id = uniqueId('bg-live');
    let by = 0;
    await finishRebuild(async () => {
      if (by >= 3) return;
      await live()(id).count({ by: ++by });
      expect(await tallies().TALLY_BG.tally(id)).toEqual({
        id,
        total: (by * (by + 1)) / 2,
        history: Array.from({ length: by }, (_, i) => i + 1).join(','),
      });
      expect(await tallies().TALLY_BG.everything()).toEqual(await modelFromLog());
    });
    expect(by).toBe(3); // all three arrived while the rebuild ran

    const after = await bg().status();
    expect(after.databases).toEqual({ active: other, rebuilding: null });
    expect(after.rebuild).toMatchObject({ status: 'done' });
    expect(after.rebuild!.cursor).toBeGreaterThanOrEqual(started.target!);
    expect(after.stuck).toEqual([]);
    const finalModel = await tallies().TALLY_BG.everything();
    expect(finalModel).toEqual(await modelFromLog());
    expect(finalModel).toEqual(await rowsOf(testEnv[other]));
    expect(await tallies().TALLY_BG.tally(id)).toEqual({ id, total: 6, history: '1,2,3' });

    // After the switch, live events go to the new database.
    await live()(id).count({ by: 4 });
    expect(await rowsOf(testEnv[other])).toContainEqual({ id, total: 10, history: '1,2,3,4' });
    expect(await tallies().TALLY_BG.tally(id)).toEqual({ id, total: 10, history: '1,2,3,4' });
  });

  it('a second rebuild switches back, with live events racing the steps', async () => {
    await completeModel();
    const first = (await bg().status()).databases!.active;
    const ids = [uniqueId('bg-race-a'), uniqueId('bg-race-b')];
    const commands = (async () => {
      for (let i = 1; i <= 4; i++) for (const id of ids) await live()(id).count({ by: i });
    })();
    await bg().rebuild();
    await Promise.all([finishRebuild(), commands]);
    const second = (await bg().status()).databases!;
    expect(second).toEqual({ active: first === 'TALLY_BG_DB' ? 'TALLY_BG_DB_NEXT' : 'TALLY_BG_DB', rebuilding: null });
    expect(await tallies().TALLY_BG.everything()).toEqual(await modelFromLog());
    for (const id of ids) expect(await tallies().TALLY_BG.tally(id)).toEqual({ id, total: 10, history: '1,2,3,4' });

    await bg().rebuild();
    await finishRebuild();
    expect((await bg().status()).databases).toEqual({ active: first, rebuilding: null });
    expect(await tallies().TALLY_BG.everything()).toEqual(await modelFromLog());
  });

  it('an event committed and delivered to the old database just before the switch reaches the new one too', async () => {
    await completeModel();
    await bg().rebuild();
    await bg().rebuildStep();
    // The LateEventStore commits and delivers it when the rebuild's read comes back short, i.e. after its last read.
    const id = uniqueId('bg-late');
    await testEnv.TALLY_BG_DB.prepare('INSERT INTO late_events (id, amount) VALUES (?1, 42)').bind(id).run();
    const before = (await bg().status()).databases!;
    await finishRebuild();
    expect(await testEnv.TALLY_BG_DB.prepare('SELECT COUNT(*) AS n FROM late_events').first('n')).toBe(0);
    const after = (await bg().status()).databases!;
    expect(after.active).toBe(before.rebuilding);
    // It was delivered live to the old side, and not read by the rebuild's pre-switch reads.
    expect(await rowsOf(testEnv[before.active as 'TALLY_BG_DB'])).toContainEqual({ id, total: 42, history: '1' });
    expect(await tallies().TALLY_BG.tally(id)).toEqual({ id, total: 42, history: '1' });
    expect(await tallies().TALLY_BG.everything()).toEqual(await modelFromLog());
  });

  it('restarting a running rebuild refills the same inactive database, which then becomes active once', async () => {
    await completeModel();
    const active = (await bg().status()).databases!.active;
    await bg().rebuild();
    await bg().rebuildStep();
    // Restarting refills the same inactive database under a new generation.
    const restarted = await bg().rebuild();
    expect(restarted).toMatchObject({ status: 'running', cursor: 0 });
    expect((await bg().status()).databases!.active).toBe(active);
    await finishRebuild();
    const after = await bg().status();
    expect(after.databases!.active).not.toBe(active);
    expect(after.rebuild).toMatchObject({ status: 'done', generation: restarted.generation });
    expect(await tallies().TALLY_BG.everything()).toEqual(await modelFromLog());
  });

  it('only the latest rebuild can switch: a superseded one is refused, a repeated one is harmless', async () => {
    const db = testEnv.TALLY_BG_DB;
    const name = uniqueId('switch');
    expect(await readActiveDatabase(db, name)).toEqual({ active: 'primary', rebuilding: null, ticket: 0 });
    const first = await beginRebuild(db, name);
    expect(first).toEqual({ target: 'standby', ticket: 1 });
    const second = await beginRebuild(db, name); // restarted while running: same target, new ticket
    expect(second).toEqual({ target: 'standby', ticket: 2 });
    expect(await switchActiveDatabase(db, name, 'standby', first.ticket)).toBe(false);
    expect(await readActiveDatabase(db, name)).toEqual({ active: 'primary', rebuilding: 'standby', ticket: 2 });
    expect(await switchActiveDatabase(db, name, 'standby', second.ticket)).toBe(true);
    expect(await switchActiveDatabase(db, name, 'standby', second.ticket)).toBe(true); // a retried step after its switch
    expect(await readActiveDatabase(db, name)).toEqual({ active: 'standby', rebuilding: null, ticket: 2 });
    expect(await beginRebuild(db, name)).toEqual({ target: 'primary', ticket: 3 });
    expect(await switchActiveDatabase(db, name, 'standby', 3)).toBe(false); // not the database being rebuilt
  });
});

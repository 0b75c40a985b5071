import { type Envelope, EventHandler, NotFound, Projection } from '@escf/core';
import { TaskAdded, TaskCompleted } from '../../../src/domain/index.js';
import type { EscfEnv } from './escf-env.generated.js';

/** A task as queries return it. */
export interface TaskView {
  readonly id: string;
  readonly title: string;
  readonly done: boolean;
  readonly addedAt: string;
}

interface TaskRow {
  task_id: string;
  title: string;
  done: number;
  added_at: string;
}

/**
 * The tasks read model, in its own D1 database (migrations/0001_tasks.sql).
 * Handlers return their statements unawaited: ESCF commits them in one D1
 * batch with the projection's checkpoint. Other workers call the queries
 * through `projectionClients<EscfProjections>(env).TASKS.get(id)`, typed; a
 * query returns its value or throws an ESCF error, and the caller gets the same.
 */
@Projection('tasks')
export class TasksProjection {
  constructor(private readonly env: EscfEnv) {}

  @EventHandler(TaskAdded)
  onAdded(e: Envelope<TaskAdded>) {
    return this.env.TASKS_DB.prepare(
      'INSERT OR REPLACE INTO tasks (task_id, title, done, added_at) VALUES (?, ?, 0, ?)',
    ).bind(e.aggregateId, e.payload.title, new Date(e.timestamp).toISOString());
  }

  @EventHandler(TaskCompleted)
  onCompleted(e: Envelope<TaskCompleted>) {
    return this.env.TASKS_DB.prepare('UPDATE tasks SET done = 1 WHERE task_id = ?').bind(e.aggregateId);
  }

  /** Needed for rebuilds: empties the read model. */
  resetReadModel() {
    return [this.env.TASKS_DB.prepare('DELETE FROM tasks')];
  }

  /** One task; `NOT_FOUND` (404 through the API) when there is none. */
  async get(id: string): Promise<TaskView> {
    const row = await this.env.TASKS_DB.prepare('SELECT * FROM tasks WHERE task_id = ?').bind(id).first<TaskRow>();
    if (!row) throw new NotFound(`Task ${id} not found`);
    return view(row);
  }

  /** Every task, oldest first. */
  async list(): Promise<TaskView[]> {
    const { results } = await this.env.TASKS_DB.prepare(
      'SELECT * FROM tasks ORDER BY added_at, task_id',
    ).all<TaskRow>();
    return results.map(view);
  }
}

function view(row: TaskRow): TaskView {
  return { id: row.task_id, title: row.title, done: row.done === 1, addedAt: row.added_at };
}

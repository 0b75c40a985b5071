import { Aggregate, Command, Conflict, EventHandler, NotFound } from '@escf/core';
import { z } from 'zod';
import { TaskAdded, TaskCompleted } from './task-events.js';

export interface TaskState {
  readonly status: 'new' | 'open' | 'done';
  readonly title: string;
}

/** A to-do item: one Durable Object per task id. */
export class Task extends Aggregate<TaskState> {
  static readonly type = 'Task';

  protected initialState(): TaskState {
    return { status: 'new', title: '' };
  }

  // Commands validate their input, read this.state and return events.
  @Command(z.object({ title: z.string().trim().min(1).max(200) }), { emits: [TaskAdded] })
  add(input: { title: string }) {
    if (this.state.status !== 'new') throw new Conflict('This task already exists');
    return new TaskAdded(input);
  }

  @Command(z.object({}), { emits: [TaskCompleted] })
  complete() {
    if (this.state.status === 'new') throw new NotFound('No such task');
    // Completing twice changes nothing.
    return this.state.status === 'done' ? [] : new TaskCompleted({});
  }

  // Event handlers are pure reducers: the only place state changes.
  @EventHandler(TaskAdded)
  protected added(e: TaskAdded): TaskState {
    return { status: 'open', title: e.title };
  }

  @EventHandler(TaskCompleted)
  protected completed(): TaskState {
    return { ...this.state, status: 'done' };
  }
}

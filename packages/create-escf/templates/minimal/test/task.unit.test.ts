import { scenario } from '@escf/testing';
import { describe, it } from 'vitest';
import { Task, TaskAdded, TaskCompleted } from '../src/domain/index.js';

// Given past events, when a command runs, then these events / this state / this error.
const task = scenario(Task);

describe('Task', () => {
  it('is added with a title', async () => {
    await task
      .given()
      .when('add', { title: 'Write the README' })
      .thenEvents(new TaskAdded({ title: 'Write the README' }));
  });

  it('is completed once', async () => {
    await task
      .given(new TaskAdded({ title: 'Ship it' }))
      .when('complete', {})
      .thenState({ status: 'done', title: 'Ship it' });
    await task
      .given(new TaskAdded({ title: 'Ship it' }), new TaskCompleted({}))
      .when('complete', {})
      .thenNothing();
  });

  it('cannot be added twice or completed before it exists', async () => {
    await task
      .given(new TaskAdded({ title: 'Ship it' }))
      .when('add', { title: 'Again' })
      .thenError('CONFLICT');
    await task.given().when('complete', {}).thenError('NOT_FOUND');
  });

  it('rejects an empty title before the aggregate sees it', async () => {
    await task.given().when('add', { title: '  ' }).thenError('VALIDATION_FAILED');
  });
});

import { defineEvent, type PayloadOf } from '@escf/core';
import { z } from 'zod';

// Events carry a stable name: it is stored with every event, never the class name.
export const TaskAdded = defineEvent('TaskAdded', z.object({ title: z.string() }));
export type TaskAdded = PayloadOf<typeof TaskAdded>;

export const TaskCompleted = defineEvent('TaskCompleted', z.object({}));
export type TaskCompleted = PayloadOf<typeof TaskCompleted>;

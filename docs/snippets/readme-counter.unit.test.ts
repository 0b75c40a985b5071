import { scenario } from '@escf/testing';
import { it } from 'vitest';
import { Counter, Incremented } from './readme-counter.js';

const counter = scenario(Counter);

it('increments', async () => {
  await counter
    .given(new Incremented({ by: 2 }))
    .when('increment', { by: 3 })
    .thenState({ count: 5 });
});

it('refuses to pass the limit', async () => {
  await counter
    .given(new Incremented({ by: 999 }))
    .when('increment', { by: 2 })
    .thenError('LIMIT_REACHED');
});

it('rejects bad input before the aggregate sees it', async () => {
  await counter.given().when('increment', { by: 0 }).thenError('VALIDATION_FAILED');
});

// A lens's context is typed from its chain's stream fold.
import { defineEvent, streamFold, upcast } from '@escf/core';
import { z } from 'zod';

const Opened = defineEvent('TypeTestOpened', z.object({ currency: z.string() }));

upcast<{ amount: number }>()
  .withStream(streamFold({ currency: 'EUR' }).on(Opened, (_, opened) => ({ currency: opened.currency })))
  .lens<{ amount: number; currency: string }>((v1, { stream }) => ({ amount: v1.amount, currency: stream.currency }));

upcast<{ amount: number }>()
  .withStream(streamFold({ currency: 'EUR' }))
  // @ts-expect-error the fold's state has no `owner`
  .lens<{ amount: number; owner: string }>((v1, { stream }) => ({ amount: v1.amount, owner: stream.owner }));

upcast<{ amount: number }>()
  // @ts-expect-error a fold handler receives the event's payload: `opened.owner` does not exist
  .withStream(streamFold({ currency: 'EUR' }).on(Opened, (_, opened) => ({ currency: opened.owner })))
  .lens<{ amount: number }>((v1) => v1);

// Without a fold, `stream` is undefined.
upcast<{ amount: number }>().lens<{ amount: number }>((v1, { stream }) => {
  const none: undefined = stream;
  return { amount: v1.amount + (none ?? 0) };
});

import { defineEvent, upcast } from '@escf/core';
import { z } from 'zod';

export const Tagged = defineEvent('Tagged', z.object({ tags: z.array(z.string()) }), {
  version: 2,
  upcast: upcast<{ tag: string }>()
    .lens<{ tags: string[] }>({ up: ({ tag }) => ({ tags: [tag] }), down: ({ tags }) => ({ tag: tags[0] ?? '' }) })
    .current() // this code emits version 2…
    .lens<{ tags: Array<{ label: string }> }>({
      // …and can read version 3, which the next release will emit.
      up: ({ tags }) => ({ tags: tags.map((label) => ({ label })) }),
      down: ({ tags }) => ({ tags: tags.map((t) => t.label) }),
    }),
});

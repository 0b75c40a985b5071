import '../src/class-validator/index.js';
import { IsString } from 'class-validator';
import { z } from 'zod';
import {
  Aggregate,
  Command,
  DomainEvent,
  defineEvent,
  Event,
  EventHandler,
  type EventProps,
  type PayloadOf,
  retiredEvent,
  Upcast,
  upcast,
} from '../src/index.js';

/** Version 1 stored `{ name }`. */
export interface ProfileSetV1 {
  name: string;
}
/** Version 2 split the name. */
export interface ProfileSetV2 {
  firstName: string;
  lastName: string;
}

/** The three-version history of ProfileSet, each step reversible. */
export const profileSetHistory = upcast<ProfileSetV1>({ formerly: ['NameSet'] })
  .lens<ProfileSetV2>({
    up: ({ name }) => {
      const [firstName = '', ...rest] = name.split(' ');
      return { firstName, lastName: rest.join(' ') };
    },
    down: ({ firstName, lastName }) => ({ name: [firstName, lastName].filter(Boolean).join(' ') }),
  })
  .lens<EventProps<ProfileSet>>({
    up: (v2) => ({ ...v2, displayName: [v2.firstName, v2.lastName].filter(Boolean).join(' ') }),
    down: ({ firstName, lastName }) => ({ firstName, lastName }),
  });

/** The current (v3) profile event. */
@Upcast(profileSetHistory)
@Event('ProfileSet', { version: 3 })
export class ProfileSet extends DomainEvent<ProfileSet> {
  @IsString() firstName!: string;
  @IsString() lastName!: string;
  @IsString() displayName!: string;
}

/** A schema-based event at v2, which also knows v3 ahead of time (for rolling deploys). */
export const Tagged = defineEvent('Tagged', z.object({ tags: z.array(z.string()) }), {
  version: 2,
  upcast: upcast<{ tag: string }>()
    .lens<{ tags: string[] }>({ up: ({ tag }) => ({ tags: [tag] }), down: ({ tags }) => ({ tag: tags[0] ?? '' }) })
    .current()
    .lens<{ tags: Array<{ label: string }> }>({
      up: ({ tags }) => ({ tags: tags.map((label) => ({ label })) }),
      down: ({ tags }) => ({ tags: tags.map((t) => t.label) }),
    }),
});
export type Tagged = PayloadOf<typeof Tagged>;

export const Emailed = defineEvent('Emailed', z.object({ email: z.email() }));
export type Emailed = PayloadOf<typeof Emailed>;

// The old `ProfileChanged` event held name and email together: read it as two events.
retiredEvent('ProfileChanged', (p: { name: string; email: string }) => [
  { type: 'ProfileSet', schemaVersion: 1, payload: { name: p.name } },
  new Emailed({ email: p.email }),
]);
// `ProfileViewed` no longer matters.
retiredEvent('ProfileViewed', () => []);

export interface ProfileState {
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly tags: readonly string[];
}

export class Profile extends Aggregate<ProfileState> {
  static readonly type = 'Profile';

  protected initialState(): ProfileState {
    return { firstName: '', lastName: '', displayName: '', email: null, tags: [] };
  }

  @Command(z.object({ firstName: z.string(), lastName: z.string() }), { emits: [ProfileSet] })
  set(input: { firstName: string; lastName: string }) {
    return new ProfileSet({ ...input, displayName: `${input.firstName} ${input.lastName}` });
  }

  @EventHandler(ProfileSet)
  protected profileSet(e: ProfileSet): ProfileState {
    return { ...this.state, firstName: e.firstName, lastName: e.lastName, displayName: e.displayName };
  }

  @EventHandler(Emailed)
  protected emailed(e: Emailed): ProfileState {
    return { ...this.state, email: e.email };
  }

  @EventHandler(Tagged)
  protected tagged(e: Tagged): ProfileState {
    return { ...this.state, tags: [...this.state.tags, ...e.tags] };
  }
}

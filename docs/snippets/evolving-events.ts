import '@escf/core/class-validator';
import { DomainEvent, Event, type EventProps, retiredEvent, Upcast, upcast } from '@escf/core';
import { IsBoolean, IsEmail, IsString } from 'class-validator';

// Version 1 stored the whole name in one field.
interface CustomerRegisteredV1 {
  name: string;
  email: string;
}
// Version 2 split it.
interface CustomerRegisteredV2 {
  firstName: string;
  lastName: string;
  email: string;
}

// The history, oldest first. Each lens receives exactly what the previous one
// produced; `down` makes a step reversible for rolling deploys.
const history = upcast<CustomerRegisteredV1>({ formerly: ['UserSignedUp'] })
  .lens<CustomerRegisteredV2>({
    up: ({ name, email }) => {
      const [firstName = '', ...rest] = name.trim().split(/\s+/);
      return { firstName, lastName: rest.join(' '), email };
    },
    down: ({ firstName, lastName, email }) => ({ name: `${firstName} ${lastName}`.trim(), email }),
  })
  .lens<EventProps<CustomerRegistered>>({
    up: (v2) => ({ ...v2, email: v2.email.toLowerCase(), marketingOptIn: false }),
  });

/** Version 3: what the code emits today, and the only shape handlers see. */
@Upcast(history)
@Event('CustomerRegistered', { version: 3 })
export class CustomerRegistered extends DomainEvent<CustomerRegistered> {
  @IsString() firstName!: string;
  @IsString() lastName!: string;
  @IsEmail() email!: string;
  @IsBoolean() marketingOptIn!: boolean;
}

// An event that no longer exists: read old ones as nothing at all.
retiredEvent('CustomerPageViewed', () => []);

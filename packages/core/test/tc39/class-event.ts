// A class-based event under standard (TC39) decorators: class events
// validate with class-validator, so @Event must say experimentalDecorators is needed.
import { DomainEvent, Event } from '@escf/core';

@Event('Renamed')
export class Renamed extends DomainEvent<Renamed> {
  declare name: string;
}

import { Aggregate, Command, defineEvent, EventHandler } from '@escf/core';
import { z } from 'zod';

export const LampSwitchedOn = defineEvent('LampSwitchedOn', z.object({}));
export const LampSwitchedOff = defineEvent('LampSwitchedOff', z.object({}));

/** An aggregate with two event types: the routing tests send a subscriber only one of them. */
export class Lamp extends Aggregate<{ on: boolean }> {
  static readonly type = 'Lamp';
  protected initialState() {
    return { on: false };
  }

  @Command(z.object({}), { emits: [LampSwitchedOn] })
  switchOn() {
    return new LampSwitchedOn({});
  }

  @Command(z.object({}), { emits: [LampSwitchedOff] })
  switchOff() {
    return new LampSwitchedOff({});
  }

  @EventHandler(LampSwitchedOn)
  protected switchedOn() {
    return { on: true };
  }

  @EventHandler(LampSwitchedOff)
  protected switchedOff() {
    return { on: false };
  }
}

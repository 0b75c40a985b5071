import '../src/class-validator/index.js';
import { IsString } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DefinitionError, DomainEvent, defineEvent, Event } from '../src/index.js';
import { eventDefinitionOf } from '../src/internal.js';

describe('sensitive event fields', () => {
  it('are recorded on the definition of schema and class events', () => {
    const TokenIssued = defineEvent('SensitiveTokenIssued', z.object({ token: z.string(), email: z.string() }), {
      sensitive: ['token'],
    });
    @Event('SensitiveUserCreated', { sensitive: ['passwordHash', 'passwordHash'] })
    class UserCreated extends DomainEvent<UserCreated> {
      @IsString() passwordHash!: string;
    }
    expect(eventDefinitionOf(TokenIssued)?.sensitive).toEqual(['token']);
    expect(eventDefinitionOf(UserCreated)?.sensitive).toEqual(['passwordHash']);
  });

  it('default to none', () => {
    expect(eventDefinitionOf(defineEvent('SensitiveNone', z.object({})))?.sensitive).toEqual([]);
  });

  it('refuse anything but field names, naming the event', () => {
    expect(() => defineEvent('SensitiveBad', z.object({ a: z.string() }), { sensitive: [''] as never })).toThrow(
      DefinitionError,
    );
    expect(() => defineEvent('SensitiveBad2', z.object({ a: z.string() }), { sensitive: 'a' as never })).toThrow(
      /defineEvent\('SensitiveBad2'\): sensitive must be a list/,
    );
  });
});

// Nested and array class-validator DTOs, the way a NestJS team writes them:
// `@ValidateNested() @Type(() => Address)`. Only `@escf/core` loads
// reflect-metadata, which class-transformer's `@Type` needs.
import { Aggregate, Command, DomainEvent, Event, EventHandler } from '@escf/core';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsString, Length, ValidateNested } from 'class-validator';

export class Address {
  @IsString() @Length(1, 100) street!: string;
  @IsString() @Length(2, 2) country!: string;
}

export class Phone {
  @IsString() @Length(3, 20) number!: string;
}

/** Input of `Customer.register`: one nested address, an array of phones. */
export class RegisterCustomer {
  @IsString() @Length(1, 100) name!: string;
  @ValidateNested() @Type(() => Address) address!: Address;
  @ValidateNested({ each: true }) @ArrayMinSize(1) @Type(() => Phone) phones!: Phone[];
}

@Event('CustomerRegistered')
export class CustomerRegistered extends DomainEvent<CustomerRegistered> {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Address) address!: Address;
  @ValidateNested({ each: true }) @Type(() => Phone) phones!: Phone[];
}

/** A customer registered with a nested DTO input and event. */
export class Customer extends Aggregate<{ registered: boolean; country?: string }> {
  static readonly type = 'Customer';
  protected initialState() {
    return { registered: false };
  }

  @Command(RegisterCustomer, { emits: [CustomerRegistered] })
  register(input: RegisterCustomer) {
    return new CustomerRegistered({ name: input.name, address: input.address, phones: input.phones });
  }

  @EventHandler(CustomerRegistered)
  protected registered(e: CustomerRegistered) {
    return { registered: true, country: e.address.country };
  }
}

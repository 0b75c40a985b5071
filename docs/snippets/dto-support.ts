// src/domain/customer-commands.ts: DTO support, imported before the classes below are defined.
import '@escf/core/class-validator';
import { Type } from 'class-transformer';
import { IsString, Length, ValidateNested } from 'class-validator';

export class Address {
  @IsString() @Length(2, 2) country!: string;
}

export class RegisterCustomer {
  @IsString() @Length(1, 100) name!: string;
  @ValidateNested() @Type(() => Address) address!: Address;
}

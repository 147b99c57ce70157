import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, Matches, MaxLength } from 'class-validator';
import { CharityKind } from '../charity.entity.js';

@InputType()
export class RegisterCharityInput {
  @Field({ description: 'Registered name, e.g. 深圳市某某慈善基金会.' })
  @Matches(/\S/, { message: 'must not be empty' })
  @MaxLength(200)
  name!: string;

  @Field({ description: 'Unified social credit code (统一社会信用代码): 18 characters with a check character.' })
  @MaxLength(18, { message: 'must be 18 characters' })
  creditCode!: string;

  @Field(() => CharityKind)
  @IsEnum(CharityKind)
  kind!: CharityKind;

  @Field({ nullable: true, defaultValue: 'CNY', description: 'ISO 4217 currency of the books (default CNY).' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'must be a three-letter ISO 4217 code such as CNY' })
  currency!: string;
}

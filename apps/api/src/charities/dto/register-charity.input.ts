import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, MaxLength } from 'class-validator';
import { CharityKind } from '../charity.entity.js';
import { CurrencyCode, Text } from '../../common/input-rules.js';

@InputType()
export class RegisterCharityInput {
  @Field({ description: 'Registered name, e.g. 深圳市某某慈善基金会.' })
  @Text(200)
  name!: string;

  @Field({ description: 'Unified social credit code (统一社会信用代码): 18 characters with a check character.' })
  @MaxLength(18, { message: 'must be 18 characters' })
  creditCode!: string;

  @Field(() => CharityKind)
  @IsEnum(CharityKind)
  kind!: CharityKind;

  @Field({ nullable: true, defaultValue: 'CNY', description: 'ISO 4217 currency of the books (default CNY).' })
  @IsOptional()
  @CurrencyCode()
  currency!: string;
}

import { Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDate, IsEnum, IsInt, IsOptional, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';
import { PROJECT_ID } from '../../projects/dto/open-project.input.js';
import { PSEUDONYM } from './select-beneficiaries.input.js';

export enum DisbursementMethod {
  BANK_TRANSFER = 'BANK_TRANSFER',
  MOBILE_PAYMENT = 'MOBILE_PAYMENT',
  IN_PERSON = 'IN_PERSON',
  DELIVERY = 'DELIVERY',
  VOUCHER = 'VOUCHER',
  OTHER = 'OTHER',
}

registerEnumType(DisbursementMethod, { name: 'DisbursementMethod' });

@InputType()
export class GoodsLineInput {
  @Field()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be letters, digits, . _ - (at most 64)' })
  itemCode!: string;

  @Field(() => Int)
  @IsInt()
  @Min(1, { message: 'must be at least 1' })
  @Max(1_000_000_000)
  quantity!: number;

  @Field(() => Int, { nullable: true, description: 'Take the goods from this gift in kind instead of first in first out.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  fromDonationSequence?: number;
}

@InputType({ description: 'Cash and/or goods given to a beneficiary selected for the project.' })
export class RecordDisbursementInput extends LedgerInputBase {
  @Field()
  @Matches(PROJECT_ID, { message: 'must be a project id' })
  projectId!: string;

  @Field({ description: 'Pseudonym of a beneficiary selected for this project.' })
  @Matches(PSEUDONYM, { message: 'must be 8 to 128 letters, digits, _ or -' })
  beneficiary!: string;

  @Field({ nullable: true, description: 'Cash given, as a decimal amount.' })
  @IsOptional()
  @MaxLength(32)
  cash?: string;

  @Field({ nullable: true, description: 'ISO 4217 of cash; the charity’s currency.' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'must be a three-letter ISO 4217 code such as CNY' })
  currency?: string;

  @Field(() => [GoodsLineInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => GoodsLineInput)
  goods?: GoodsLineInput[];

  @Field(() => DisbursementMethod)
  @IsEnum(DisbursementMethod)
  method!: DisbursementMethod;

  @Field({ description: 'When it was given (not in the future).' })
  @IsDate()
  disbursedAt!: Date;

  @Field({ description: 'SHA-256 (lowercase hex) of the delivery evidence (signed receipt, photo …).' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 in lowercase hex (64 characters)' })
  deliveryEvidenceSha256!: string;
}

import { Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDate, IsEnum, IsInt, IsOptional, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';
import { PSEUDONYM } from './select-beneficiaries.input.js';
import { CurrencyCode, ItemCode, ProjectId, Sha256Hex, Units } from '../../common/input-rules.js';

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
  @ItemCode()
  itemCode!: string;

  @Field(() => Int)
  @Units()
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
  @ProjectId()
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
  @CurrencyCode()
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
  @Sha256Hex()
  deliveryEvidenceSha256!: string;
}

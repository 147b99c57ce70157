import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsDate, IsOptional, Matches, MaxLength, ValidateNested } from 'class-validator';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';
import { FundingInput } from './funding.input.js';
import { CurrencyCode, ItemCode, ProjectId, Sha256Hex, Text, Units } from '../../common/input-rules.js';

@InputType()
export class SupplierInput {
  @Field()
  @Text(200)
  name!: string;

  @Field({ description: 'Unified social credit code of the supplier.' })
  @MaxLength(18, { message: 'must be 18 characters' })
  creditCode!: string;
}

@InputType()
export class ProcurementLineInput {
  @Field()
  @Text(500)
  description!: string;

  @Field({ description: 'Item code that follows the goods to the beneficiaries, e.g. WHEELCHAIR-STD.' })
  @ItemCode()
  itemCode!: string;

  @Field(() => Int)
  @Units()
  quantity!: number;

  @Field()
  @Text(32)
  unit!: string;

  @Field({ description: 'Price of one unit, as a decimal amount.' })
  @MaxLength(32)
  unitPrice!: string;
}

@InputType()
export class EvidenceInput {
  @Field({ description: 'SHA-256 (lowercase hex) of the document, e.g. the invoice PDF.' })
  @Sha256Hex()
  sha256!: string;

  @Field({ nullable: true, description: 'Where the document can be fetched.' })
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  @MaxLength(2000)
  uri?: string;
}

@InputType({ description: 'Goods bought for a project; they become goods lots carrying the funding that paid for them.' })
export class RecordProcurementInput extends LedgerInputBase {
  @Field()
  @ProjectId()
  projectId!: string;

  @Field(() => SupplierInput)
  @ValidateNested()
  @Type(() => SupplierInput)
  supplier!: SupplierInput;

  @Field(() => [ProcurementLineInput])
  @ArrayMinSize(1, { message: 'must list at least one line' })
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ProcurementLineInput)
  lines!: ProcurementLineInput[];

  @Field({ description: 'Total of the invoice: must equal the sum of quantity × unit price over the lines.' })
  @MaxLength(32)
  total!: string;

  @Field()
  @CurrencyCode()
  currency!: string;

  @Field(() => EvidenceInput, { description: 'The invoice.' })
  @ValidateNested()
  @Type(() => EvidenceInput)
  invoice!: EvidenceInput;

  @Field(() => [FundingInput], { nullable: true, description: 'Which gifts pay, and how much of each; must add up to the total.' })
  @IsOptional()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => FundingInput)
  funding?: FundingInput[];

  @Field({ description: 'When the goods were bought (not in the future).' })
  @IsDate()
  purchasedAt!: Date;
}

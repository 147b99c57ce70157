import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsDate, IsInt, IsOptional, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';
import { PROJECT_ID } from '../../projects/dto/open-project.input.js';
import { FundingInput } from './funding.input.js';

@InputType()
export class SupplierInput {
  @Field()
  @Matches(/\S/, { message: 'must not be empty' })
  @MaxLength(200)
  name!: string;

  @Field({ description: 'Unified social credit code of the supplier.' })
  @MaxLength(18, { message: 'must be 18 characters' })
  creditCode!: string;
}

@InputType()
export class ProcurementLineInput {
  @Field()
  @Matches(/\S/, { message: 'must not be empty' })
  @MaxLength(500)
  description!: string;

  @Field({ description: 'Item code that follows the goods to the beneficiaries, e.g. WHEELCHAIR-STD.' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be letters, digits, . _ - (at most 64)' })
  itemCode!: string;

  @Field(() => Int)
  @IsInt()
  @Min(1, { message: 'must be at least 1' })
  @Max(1_000_000_000)
  quantity!: number;

  @Field()
  @Matches(/\S/, { message: 'must not be empty' })
  @MaxLength(32)
  unit!: string;

  @Field({ description: 'Price of one unit, as a decimal amount.' })
  @MaxLength(32)
  unitPrice!: string;
}

@InputType()
export class EvidenceInput {
  @Field({ description: 'SHA-256 (lowercase hex) of the document, e.g. the invoice PDF.' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 in lowercase hex (64 characters)' })
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
  @Matches(PROJECT_ID, { message: 'must be a project id' })
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
  @Matches(/^[A-Z]{3}$/, { message: 'must be a three-letter ISO 4217 code such as CNY' })
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

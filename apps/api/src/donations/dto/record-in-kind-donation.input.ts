import { Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsEnum, MaxLength, ValidateNested } from 'class-validator';
import { DonationInputBase } from './donation-common.input.js';
import { CurrencyCode, ItemCode, Text, Units } from '../../common/input-rules.js';

export enum ValuationBasis {
  INVOICE = 'INVOICE',
  MARKET_PRICE = 'MARKET_PRICE',
  APPRAISAL = 'APPRAISAL',
}

export enum ItemCondition {
  NEW = 'NEW',
  USED_GOOD = 'USED_GOOD',
  USED_FAIR = 'USED_FAIR',
}

registerEnumType(ValuationBasis, {
  name: 'ValuationBasis',
  description: 'How the fair value was established (捐赠财产价值的确定依据).',
});
registerEnumType(ItemCondition, { name: 'ItemCondition' });

@InputType()
export class InKindItemInput {
  @Field({ description: 'Item code used to track the goods through disbursement, e.g. WHEELCHAIR-STD.' })
  @ItemCode()
  itemCode!: string;

  @Field()
  @Text(500)
  description!: string;

  @Field(() => Int, { description: 'Whole units (use a smaller unit for fractions, e.g. g instead of kg).' })
  @Units()
  quantity!: number;

  @Field({ description: 'Unit of quantity, e.g. piece, box, kg.' })
  @Text(32)
  unit!: string;
}

@InputType({ description: 'A gift of goods.' })
export class RecordInKindDonationInput extends DonationInputBase {
  @Field(() => [InKindItemInput])
  @ArrayMinSize(1, { message: 'must list at least one item' })
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => InKindItemInput)
  items!: InKindItemInput[];

  @Field(() => ValuationBasis)
  @IsEnum(ValuationBasis)
  valuationBasis!: ValuationBasis;

  @Field({ description: 'Fair value of all items together, as a decimal amount.' })
  @MaxLength(32)
  fairValue!: string;

  @Field({ description: 'ISO 4217 code of fairValue; must be the charity’s currency.' })
  @CurrencyCode()
  currency!: string;

  @Field(() => ItemCondition)
  @IsEnum(ItemCondition)
  condition!: ItemCondition;
}

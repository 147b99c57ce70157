import { Field, InputType, Int } from '@nestjs/graphql';
import { IsDate, IsInt, IsOptional, MaxLength, Min } from 'class-validator';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';
import { CurrencyCode, Text } from '../../common/input-rules.js';

@InputType({ description: 'Returns unspent restricted money to its donor.' })
export class RefundDonationInput extends LedgerInputBase {
  @Field(() => Int, { description: 'Sequence of the gift of money.' })
  @IsInt()
  @Min(1)
  donationSequence!: number;

  @Field({ nullable: true, description: 'Decimal amount; default: everything still unspent.' })
  @IsOptional()
  @MaxLength(32)
  amount?: string;

  @Field()
  @CurrencyCode()
  currency!: string;

  @Field()
  @Text(2000)
  reason!: string;

  @Field({ description: 'When the money was returned (not in the future).' })
  @IsDate()
  refundedAt!: Date;
}

import { Field, InputType, Int } from '@nestjs/graphql';
import { IsDate, IsInt, IsOptional, Matches, MaxLength, Min } from 'class-validator';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';

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
  @Matches(/^[A-Z]{3}$/, { message: 'must be a three-letter ISO 4217 code such as CNY' })
  currency!: string;

  @Field()
  @Matches(/\S/, { message: 'must not be empty' })
  @MaxLength(2000)
  reason!: string;

  @Field({ description: 'When the money was returned (not in the future).' })
  @IsDate()
  refundedAt!: Date;
}

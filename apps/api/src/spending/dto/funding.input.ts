import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, MaxLength, Min } from 'class-validator';

@InputType({ description: 'Names a gift that pays for (part of) the spending, instead of first in first out.' })
export class FundingInput {
  @Field(() => Int, { description: 'Sequence of the gift of money on this charity’s chain.' })
  @IsInt()
  @Min(1)
  donationSequence!: number;

  @Field({ description: 'How much of the gift, as a decimal amount.' })
  @MaxLength(32)
  amount!: string;
}

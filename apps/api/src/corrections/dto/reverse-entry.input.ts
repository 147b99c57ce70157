import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, Matches, MaxLength, Min } from 'class-validator';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';

@InputType({ description: 'Reverses an earlier entry of the same chain in full; record the correct version as a new entry.' })
export class ReverseEntryInput extends LedgerInputBase {
  @Field(() => Int, { description: 'Sequence of the entry to reverse, on this charity’s chain.' })
  @IsInt()
  @Min(1)
  sequence!: number;

  @Field({ description: 'The published correction notice (更正说明): what was wrong.' })
  @Matches(/\S/, { message: 'must not be empty' })
  @MaxLength(2000)
  reason!: string;
}

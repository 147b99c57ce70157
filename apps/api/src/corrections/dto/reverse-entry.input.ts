import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, Min } from 'class-validator';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';
import { Text } from '../../common/input-rules.js';

@InputType({ description: 'Reverses an earlier entry of the same chain in full; record the correct version as a new entry.' })
export class ReverseEntryInput extends LedgerInputBase {
  @Field(() => Int, { description: 'Sequence of the entry to reverse, on this charity’s chain.' })
  @IsInt()
  @Min(1)
  sequence!: number;

  @Field({ description: 'The published correction notice (更正说明): what was wrong.' })
  @Text(2000)
  reason!: string;
}

import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';
import { CalendarDate, ProjectId, Text } from '../../common/input-rules.js';

export enum LeftoverHandling {
  TRANSFER_TO_PROJECT = 'TRANSFER_TO_PROJECT',
  NONE = 'NONE',
}

registerEnumType(LeftoverHandling, {
  name: 'LeftoverHandling',
  description: 'What happens to a closing project’s leftover restricted funds and goods (慈善法 Art. 58).',
  valuesMap: {
    TRANSFER_TO_PROJECT: { description: 'Moved to another open project with the same or a similar purpose.' },
    NONE: { description: 'Nothing is left (everything was spent or refunded to the donors).' },
  },
});

@InputType()
export class LeftoverInput {
  @Field(() => LeftoverHandling)
  @IsEnum(LeftoverHandling)
  handling!: LeftoverHandling;

  @Field({ nullable: true, description: 'For TRANSFER_TO_PROJECT: the receiving project.' })
  @IsOptional()
  @ProjectId()
  targetProjectId?: string;

  @Field({ description: 'The published explanation of the handling.' })
  @Text(2000)
  explanation!: string;
}

@InputType()
export class CloseProjectInput extends LedgerInputBase {
  @Field()
  @ProjectId()
  projectId!: string;

  @Field({ description: 'YYYY-MM-DD, not in the future.' })
  @CalendarDate()
  closedOn!: string;

  @Field(() => LeftoverInput)
  @ValidateNested()
  @Type(() => LeftoverInput)
  leftover!: LeftoverInput;
}

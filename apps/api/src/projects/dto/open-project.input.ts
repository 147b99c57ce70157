import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, MaxLength, ValidateNested } from 'class-validator';
import { PROJECT_CATEGORIES } from '@charity-ledger/ledger-core';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';
import { RegionInput } from '../../regions/dto/region.input.js';
import { CalendarDate, CurrencyCode, ProjectId, Text } from '../../common/input-rules.js';

export const ProjectCategory = Object.fromEntries(PROJECT_CATEGORIES.map((category) => [category, category])) as {
  [Key in (typeof PROJECT_CATEGORIES)[number]]: Key;
};

registerEnumType(ProjectCategory, {
  name: 'ProjectCategory',
  valuesMap: {
    MEDICAL_AID: { description: '医疗救助' },
    DISABILITY_SUPPORT: { description: '助残' },
    ELDERLY_CARE: { description: '养老' },
    CHILD_WELFARE: { description: '儿童福利' },
    POVERTY_RELIEF: { description: '扶贫济困 / 低保' },
    DISASTER_RELIEF: { description: '救灾' },
    EDUCATION: { description: '助学' },
    OTHER: { description: '其他' },
  },
});

@InputType()
export class OpenProjectInput extends LedgerInputBase {
  @Field({ description: "The charity's own id for the project, e.g. P-2026-01 (letters, digits, . _ -)." })
  @ProjectId()
  projectId!: string;

  @Field()
  @Text(200)
  title!: string;

  @Field({ description: 'What the project is for, as published.' })
  @Text(2000)
  purpose!: string;

  @Field(() => ProjectCategory)
  @IsIn(PROJECT_CATEGORIES)
  category!: (typeof PROJECT_CATEGORIES)[number];

  @Field(() => RegionInput)
  @ValidateNested()
  @Type(() => RegionInput)
  region!: RegionInput;

  @Field({ description: 'YYYY-MM-DD' })
  @CalendarDate()
  startDate!: string;

  @Field({ description: 'YYYY-MM-DD, not before startDate.' })
  @CalendarDate()
  endDate!: string;

  @Field({ description: 'Budget, as a decimal amount.' })
  @MaxLength(32)
  budget!: string;

  @Field({ description: 'ISO 4217; the charity’s currency.' })
  @CurrencyCode()
  currency!: string;

  @Field({ description: 'Whether the project raises funds from the public (公开募捐): it then discloses at least every three months.' })
  @IsBoolean()
  publicFundraising!: boolean;
}

import { Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PROJECT_CATEGORIES } from '@charity-ledger/ledger-core';
import { CalendarDate } from '../../common/input-rules.js';
import { ProjectCategory } from '../../projects/dto/open-project.input.js';
import { SuppressionReason } from '../suppression.js';

/** What disclosures can be grouped by. */
export enum DisclosureDimension {
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  YEAR = 'YEAR',
  CHARITY = 'CHARITY',
  PROJECT_CATEGORY = 'PROJECT_CATEGORY',
  DISTRICT = 'DISTRICT',
  STREET = 'STREET',
}

registerEnumType(DisclosureDimension, {
  name: 'DisclosureDimension',
  valuesMap: {
    MONTH: { description: 'Calendar month in Shenzhen, e.g. 2026-03.' },
    QUARTER: { description: 'Calendar quarter, e.g. 2026-Q1.' },
    YEAR: { description: 'Calendar year, e.g. 2026.' },
    CHARITY: { description: 'The charity.' },
    PROJECT_CATEGORY: { description: 'The project’s category (null: money not tied to a project).' },
    DISTRICT: { description: 'Shenzhen district (null: no region, e.g. unrestricted gifts).' },
    STREET: { description: 'Shenzhen street (null: no street).' },
  },
});

registerEnumType(SuppressionReason, {
  name: 'SuppressionReason',
  valuesMap: {
    SMALL_CELL: { description: 'The cell reached 1 to 9 people.' },
    COMPLEMENTARY: { description: 'Hidden so that a small cell cannot be worked out from the totals.' },
  },
});

@InputType({
  description:
    'Which facts to sum. The period is either `from` and `to`, or `year` (with `quarter` or `month`); dates are calendar dates in Shenzhen (China Standard Time).',
})
export class DisclosureFilter {
  @Field({ nullable: true, description: 'First day, YYYY-MM-DD (included).' })
  @IsOptional()
  @CalendarDate()
  from?: string;

  @Field({ nullable: true, description: 'The day after the last, YYYY-MM-DD (not included). At most 5 years after `from`.' })
  @IsOptional()
  @CalendarDate()
  to?: string;

  @Field(() => Int, { nullable: true, description: 'A calendar year, instead of from/to.' })
  @IsOptional()
  @IsInt()
  @Min(2000, { message: 'must be 2000 or later' })
  @Max(2100, { message: 'must be 2100 or earlier' })
  year?: number;

  @Field(() => Int, { nullable: true, description: 'With `year`: quarter 1–4.' })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'must be 1 to 4' })
  @Max(4, { message: 'must be 1 to 4' })
  quarter?: number;

  @Field(() => Int, { nullable: true, description: 'With `year`: month 1–12.' })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'must be 1 to 12' })
  @Max(12, { message: 'must be 1 to 12' })
  month?: number;

  @Field(() => [ID], { nullable: true, description: 'Only these charities (at most 100).' })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  charityIds?: string[];

  @Field(() => [ProjectCategory], { nullable: true, description: 'Only projects of these categories.' })
  @IsOptional()
  @IsIn(PROJECT_CATEGORIES, { each: true })
  projectCategories?: string[];

  @Field({ nullable: true, description: 'Only this Shenzhen district, e.g. SZ-FUTIAN (see the `regions` query).' })
  @IsOptional()
  @MaxLength(64)
  districtCode?: string;

  @Field({ nullable: true, description: 'Only this Shenzhen street, e.g. SZ-FUTIAN-YUANLING.' })
  @IsOptional()
  @MaxLength(64)
  streetCode?: string;
}

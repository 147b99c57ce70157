import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsOptional, Matches, ValidateNested } from 'class-validator';
import { ProjectId, Sha256Hex, Text } from '../../common/input-rules.js';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';

/** A decimal as typed: digits with an optional sign and fraction, no exponent. */
const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;
const DECIMAL_MESSAGE = 'must be a decimal number as a string, e.g. "120" or "37.5"';

/** An opaque reference to a consent record kept by the charity: never a name, phone or ID number. */
export const CONSENT_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:-]{3,63}$/;

@InputType({ description: 'A result indicator, as IATI results have them: what is measured, in what unit, from where to where.' })
export class IndicatorInput {
  @Field({ description: 'What is measured, e.g. "Residents given a wheelchair".' })
  @Text(200)
  name!: string;

  @Field({ description: 'Unit of measure, e.g. persons, households, %.' })
  @Text(32)
  unit!: string;

  @Field({ nullable: true, description: 'Value before the project, a decimal string (optional).' })
  @IsOptional()
  @Matches(DECIMAL, { message: DECIMAL_MESSAGE })
  baseline?: string;

  @Field({ description: 'Value aimed for, a decimal string.' })
  @Matches(DECIMAL, { message: DECIMAL_MESSAGE })
  target!: string;

  @Field({ description: 'Value reached by the end of the period, a decimal string.' })
  @Matches(DECIMAL, { message: DECIMAL_MESSAGE })
  actual!: string;
}

@InputType({ description: 'A photo, video or document uploaded with POST /media, by its SHA-256.' })
export class ReportMediaInput {
  @Field({ description: 'SHA-256 (lowercase hex) returned by POST /media.' })
  @Sha256Hex()
  sha256!: string;

  @Field({ description: 'Caption, as published. Never name a beneficiary.' })
  @Text(500)
  caption!: string;

  @Field(() => [String], {
    defaultValue: [],
    description:
      'For each identifiable person shown: an opaque reference to the consent the charity keeps on file (4–64 letters, digits, . _ : -), never personal data.',
  })
  @ArrayMaxSize(100)
  @Matches(CONSENT_REFERENCE, { each: true, message: 'each consent reference must be 4 to 64 letters, digits, . _ : - (an opaque reference)' })
  consentReferences!: string[];
}

@InputType({ description: "A project's progress report for a month or a quarter that has ended." })
export class PublishProgressReportInput extends LedgerInputBase {
  @Field({ description: "The project, one of this charity's." })
  @ProjectId()
  projectId!: string;

  @Field({ description: 'The period reported on: a month (2026-03) or a quarter (2026-Q1). It must have ended and overlap the project’s dates.' })
  @Matches(/^\d{4}-(\d{2}|Q[1-4])$/, { message: 'must be a month (2026-03) or a quarter (2026-Q1)' })
  period!: string;

  @Field({ description: 'What was done and what changed, as published.' })
  @Text(20_000)
  narrative!: string;

  @Field(() => [IndicatorInput], { defaultValue: [] })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => IndicatorInput)
  indicators!: IndicatorInput[];

  @Field(() => [ReportMediaInput], { defaultValue: [] })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReportMediaInput)
  media!: ReportMediaInput[];
}

import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MoneyType } from '../../common/money.type.js';
import { Paginated } from '../../common/paginated.type.js';

@ObjectType('ReportIndicator', { description: 'A result indicator (as IATI results have them); values are decimal strings.' })
export class ReportIndicator {
  @Field()
  name!: string;

  @Field()
  unit!: string;

  @Field(() => String, { nullable: true })
  baseline!: string | null;

  @Field()
  target!: string;

  @Field({ description: 'Value reached by the end of the period.' })
  actual!: string;
}

@ObjectType('ReportMedia', { description: 'A photo, video or document of the report, served at GET /media/<sha256>.' })
export class ReportMedia {
  @Field()
  sha256!: string;

  @Field()
  caption!: string;

  @Field(() => [String], { description: 'Opaque references to the consents, kept by the charity, of identifiable people shown.' })
  consentReferences!: string[];
}

@ObjectType('ReportSpending', { description: 'Spending by cost class (慈善法 Art. 61).' })
export class ReportSpending {
  @Field(() => MoneyType, { description: 'Cash given, goods given out at cost, and charitable-activity expenses.' })
  charitableActivity!: MoneyType;

  @Field(() => MoneyType)
  management!: MoneyType;

  @Field(() => MoneyType)
  fundraising!: MoneyType;

  @Field(() => MoneyType)
  total!: MoneyType;
}

@ObjectType('ReportFinancialSummary', {
  description:
    "The project's figures for the period, computed by the service from the ledger (docs/figures.md) and hashed with the report, so they cannot disagree with the books.",
})
export class ReportFinancialSummary {
  @Field({ description: 'How the figures were computed (docs/figures.md).' })
  method!: string;

  @Field(() => MoneyType, { description: 'Gifts of money to the project.' })
  receivedCash!: MoneyType;

  @Field(() => MoneyType, { description: 'Gifts of goods to the project, at fair value.' })
  receivedInKind!: MoneyType;

  @Field(() => MoneyType)
  refunded!: MoneyType;

  @Field(() => ReportSpending)
  spent!: ReportSpending;

  @Field(() => Int, { description: 'Units of goods given out.' })
  goodsDisbursedQuantity!: number;

  @Field(() => MoneyType, { description: 'Value of the goods given out, at cost.' })
  goodsDisbursedValue!: MoneyType;

  @Field(() => Int, { description: 'Distinct people reached (a count; never who).' })
  beneficiariesReached!: number;
}

@ObjectType('ProgressReport', { description: "A project's progress report for a month or a quarter: a ledger entry (PROGRESS_REPORT_PUBLISHED)." })
export class ProgressReport {
  @Field(() => ID)
  charityId!: string;

  @Field(() => Int, { description: "The report's entry on the charity's chain." })
  sequence!: number;

  @Field()
  projectId!: string;

  @Field({ description: '2026-03 (a month) or 2026-Q1 (a quarter).' })
  period!: string;

  @Field({ description: 'First day of the period.' })
  periodStart!: string;

  @Field({ description: 'Last day of the period.' })
  periodEnd!: string;

  @Field()
  narrative!: string;

  @Field(() => [ReportIndicator])
  indicators!: ReportIndicator[];

  @Field(() => [ReportMedia])
  media!: ReportMedia[];

  @Field(() => ReportFinancialSummary)
  financialSummary!: ReportFinancialSummary;

  @Field({ description: 'When the ledger recorded it.' })
  publishedAt!: Date;

  @Field({ description: "SHA-256 of the entry's canonical bytes." })
  hash!: string;

  @Field({ description: 'Reversed (withdrawn) by a later entry; a corrected report is a new one.' })
  reversed!: boolean;

  @Field(() => Int, { nullable: true })
  reversedBy!: number | null;
}

@ObjectType({ description: 'A page of progress reports, in chain order (Relay connection).' })
export class ProgressReportConnection extends Paginated(ProgressReport, 'ProgressReport') {
  @Field(() => Int, { description: 'Number of reports matching, reversed ones included.' })
  totalCount!: number;
}

import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Charity } from '../../charities/dto/charity.type.js';
import { CharityKind } from '../../charities/charity.entity.js';
import { MoneyType } from '../../common/money.type.js';

export enum ComplianceStatus {
  PASS = 'PASS',
  FAIL = 'FAIL',
  EXEMPT = 'EXEMPT',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
  INSUFFICIENT_DATA = 'INSUFFICIENT_DATA',
}

registerEnumType(ComplianceStatus, {
  name: 'ComplianceStatus',
  description: 'Outcome of a compliance rule.',
  valuesMap: {
    PASS: { description: 'The rule is met.' },
    FAIL: { description: 'The rule is not met.' },
    EXEMPT: { description: 'The rule does not bind the charity this year (e.g. management costs under the ¥200,000 exemption).' },
    NOT_APPLICABLE: { description: 'No standard applies to this kind of charity in this year.' },
    INSUFFICIENT_DATA: { description: 'The ledger lacks the figures the rule needs (e.g. nothing recorded before the year).' },
  },
});

@ObjectType({ description: 'A value a rule or flag used.' })
export class ComplianceInput {
  @Field({ description: 'e.g. totalIncome2025, netAssetsEnd2025, managementCosts2026.' })
  name!: string;

  @Field({ description: 'Exact decimal string (amounts in yuan), a count or a date.' })
  value!: string;

  @Field(() => String, { nullable: true, description: 'CNY, %, entries …' })
  unit!: string | null;
}

@ObjectType({ description: 'One rule checked, with its legal source, its inputs and the arithmetic.' })
export class ComplianceRuleResult {
  @Field({ description: 'Standard id and rule, e.g. charity-law-2023-art61.spending.' })
  id!: string;

  @Field()
  title!: string;

  @Field({ description: 'Law or rule, article (and bracket clause), and since when it is in force.' })
  source!: string;

  @Field(() => ComplianceStatus)
  status!: ComplianceStatus;

  @Field(() => Boolean, { nullable: true, description: 'true for PASS and EXEMPT, false for FAIL, null when the rule could not be judged.' })
  passed!: boolean | null;

  @Field({ description: 'What the rule requires, as amounts (exact; "≈" marks a rounded average).' })
  threshold!: string;

  @Field({ description: 'What the ledger shows.' })
  actual!: string;

  @Field(() => [ComplianceInput])
  inputs!: ComplianceInput[];

  @Field(() => [String], { description: 'The computation, one step a line.' })
  arithmetic!: string[];

  @Field()
  explanation!: string;
}

@ObjectType({ description: 'A gift, a disclosure or another item behind a flag.' })
export class ComplianceFlagItem {
  @Field()
  reference!: string;

  @Field()
  description!: string;

  @Field(() => MoneyType, { nullable: true })
  amount!: MoneyType | null;

  @Field(() => String, { nullable: true, description: 'A date (YYYY-MM-DD) or time (ISO 8601).' })
  date!: string | null;
}

@ObjectType({ description: 'Something for the regulator to look at: not a rule, a signal.' })
export class ComplianceFlag {
  @Field({ description: 'overdue-disclosures, restricted-funds-unspent or reversals-per-100-entries.' })
  id!: string;

  @Field()
  title!: string;

  @Field()
  raised!: boolean;

  @Field()
  value!: string;

  @Field()
  explanation!: string;

  @Field(() => [ComplianceInput])
  inputs!: ComplianceInput[];

  @Field(() => [ComplianceFlagItem])
  items!: ComplianceFlagItem[];
}

@ObjectType({ description: 'A charity’s spending rules for a year, checked against its ledger (REGULATOR).' })
export class ComplianceReport {
  @Field(() => Charity)
  charity!: Charity;

  @Field(() => CharityKind)
  kind!: CharityKind;

  @Field(() => Int)
  year!: number;

  @Field({ description: 'false while the year is not over: its figures are to date.' })
  yearComplete!: boolean;

  @Field({ description: 'The end of the year, or now for the current year (ISO 8601).' })
  asOf!: string;

  @Field({ description: 'Version of the compliance thresholds data used.' })
  thresholdsVersion!: string;

  @Field(() => [ComplianceRuleResult])
  rules!: ComplianceRuleResult[];

  @Field(() => [ComplianceFlag])
  flags!: ComplianceFlag[];
}

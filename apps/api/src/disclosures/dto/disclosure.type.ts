import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MoneyType } from '../../common/money.type.js';
import { SuppressionReason } from '../suppression.js';
import { DisclosureDimension } from './disclosure-filter.input.js';

@ObjectType({ description: 'Money received in the period.' })
export class DisclosureReceived {
  @Field(() => MoneyType, { description: 'Gifts of money.' })
  cash!: MoneyType;

  @Field(() => MoneyType, { description: 'Gifts of goods, at their fair value.' })
  inKind!: MoneyType;

  @Field(() => MoneyType, { description: 'Money given back to donors.' })
  refunded!: MoneyType;
}

@ObjectType({ description: 'Spending in the period by cost class (charitable activity includes cash and goods given to people, goods at cost).' })
export class DisclosureSpent {
  @Field(() => MoneyType)
  charitableActivity!: MoneyType;

  @Field(() => MoneyType)
  management!: MoneyType;

  @Field(() => MoneyType)
  fundraising!: MoneyType;

  @Field(() => MoneyType)
  total!: MoneyType;
}

@ObjectType({ description: 'Goods given out in the period.' })
export class DisclosureGoods {
  @Field({ description: 'Units given out (a whole number, as a decimal string).' })
  units!: string;

  @Field(() => MoneyType, { description: 'Their value at cost.' })
  value!: MoneyType;
}

@ObjectType({ description: 'The figures of a cell (docs/figures.md). Reversals count, negated, on the date they were made.' })
export class DisclosureFigures {
  @Field(() => DisclosureReceived)
  received!: DisclosureReceived;

  @Field(() => DisclosureSpent)
  spent!: DisclosureSpent;

  @Field(() => DisclosureGoods)
  goodsDisbursed!: DisclosureGoods;

  @Field(() => Int, { description: 'Distinct people reached (a person reached twice counts once).' })
  beneficiariesReached!: number;
}

@ObjectType({ description: 'One cell of a disclosure: its key on the dimensions it is grouped by, and its figures unless hidden.' })
export class DisclosureCell {
  @Field(() => [DisclosureDimension], { description: 'The dimensions of this cell’s key; the others are summed over ([] for the grand total).' })
  groupedBy!: DisclosureDimension[];

  @Field(() => String, { nullable: true })
  month!: string | null;

  @Field(() => String, { nullable: true })
  quarter!: string | null;

  @Field(() => String, { nullable: true })
  year!: string | null;

  @Field(() => ID, { nullable: true })
  charityId!: string | null;

  @Field(() => String, { nullable: true })
  charityName!: string | null;

  @Field(() => String, { nullable: true, description: 'A ProjectCategory value; null in a cell grouped by category: money not tied to a project.' })
  projectCategory!: string | null;

  @Field(() => String, { nullable: true, description: 'Null in a cell grouped by district: facts without a Shenzhen region (e.g. unrestricted gifts).' })
  districtCode!: string | null;

  @Field(() => String, { nullable: true })
  districtName!: string | null;

  @Field(() => String, { nullable: true })
  streetCode!: string | null;

  @Field(() => String, { nullable: true })
  streetName!: string | null;

  @Field({ description: 'The figures are hidden (public answers only).' })
  suppressed!: boolean;

  @Field(() => SuppressionReason, { nullable: true })
  suppressionReason!: SuppressionReason | null;

  @Field(() => DisclosureFigures, { nullable: true, description: 'Null when suppressed.' })
  figures!: DisclosureFigures | null;
}

@ObjectType({
  description:
    'Aggregated figures for a period: the cells of the grouping asked for, every marginal total (the same grouped by fewer dimensions) and the grand total. Public answers hide cells that reached 1–9 people, and enough other cells that none of them can be worked out from the rest (docs/disclosures.md).',
})
export class Disclosure {
  @Field({ description: 'First day (included).' })
  from!: string;

  @Field({ description: 'The day after the last (not included).' })
  to!: string;

  @Field(() => [DisclosureDimension])
  groupBy!: DisclosureDimension[];

  @Field({ description: 'true: exact figures (a regulator, or a charity asking about itself only); false: small cells hidden.' })
  exact!: boolean;

  @Field(() => Int, { description: 'A cell with at least 1 and fewer than this many people is hidden from the public.' })
  threshold!: number;

  @Field(() => Int, { description: 'Cells, margins and total hidden in this answer.' })
  hiddenCells!: number;

  @Field(() => [DisclosureCell], { description: 'The cells of `groupBy`, ordered by their keys (none last).' })
  cells!: DisclosureCell[];

  @Field(() => [DisclosureCell], { description: 'Marginal totals: the cells of every grouping by fewer (but at least one) of the dimensions.' })
  margins!: DisclosureCell[];

  @Field(() => DisclosureCell, { description: 'The grand total.' })
  total!: DisclosureCell;
}

import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MoneyType } from '../../common/money.type.js';
import { LedgerEntry } from '../../ledger/dto/ledger-entry.type.js';

@ObjectType()
export class RestrictionType {
  @Field({ description: 'UNRESTRICTED, PROJECT or PURPOSE.' })
  kind!: string;

  @Field(() => String, { nullable: true })
  projectId!: string | null;

  @Field(() => String, { nullable: true })
  purpose!: string | null;
}

@ObjectType({ description: 'A use of the gift’s money by a later entry.' })
export class GiftUse {
  @Field(() => Int)
  sequence!: number;

  @Field({ description: 'PROCUREMENT_RECORDED, EXPENSE_RECORDED, DISBURSEMENT_RECORDED or DONATION_REFUNDED.' })
  type!: string;

  @Field(() => MoneyType)
  amount!: MoneyType;

  @Field(() => String, { nullable: true })
  projectId!: string | null;

  @Field(() => String, { nullable: true })
  costClass!: string | null;

  @Field()
  occurredAt!: Date;

  @Field({ description: 'The using entry was reversed: the money went back to the gift.' })
  reversed!: boolean;
}

@ObjectType({ description: 'Goods the gift paid for (a procurement line) or is (an item given in kind).' })
export class GiftGoods {
  @Field()
  lotId!: string;

  @Field(() => Int, { description: 'The procurement or in-kind gift entry.' })
  sourceSequence!: number;

  @Field({ description: 'PROCUREMENT or IN_KIND.' })
  source!: string;

  @Field()
  itemCode!: string;

  @Field()
  unit!: string;

  @Field({ description: 'Units attributed to this gift (a decimal when the gift paid for part of a unit).' })
  units!: string;

  @Field(() => MoneyType, { nullable: true, description: 'What the gift paid for them (procurements only).' })
  amount!: MoneyType | null;

  @Field({ description: 'Of those units, how many reached beneficiaries.' })
  deliveredUnits!: string;

  @Field({ description: 'Of those units, how many are still in stock.' })
  inStockUnits!: string;

  @Field()
  reversed!: boolean;
}

@ObjectType({ description: 'Goods from the gift that reached a beneficiary: where and when, never who.' })
export class GiftDelivery {
  @Field(() => Int)
  sequence!: number;

  @Field()
  itemCode!: string;

  @Field()
  unit!: string;

  @Field()
  units!: string;

  @Field(() => String, { nullable: true })
  regionCode!: string | null;

  @Field(() => String, { nullable: true, description: 'Shenzhen district code, when in Shenzhen.' })
  district!: string | null;

  @Field(() => String, { nullable: true })
  street!: string | null;

  @Field({ description: 'YYYY-MM-DD, China Standard Time.' })
  date!: string;

  @Field()
  reversed!: boolean;
}

@ObjectType({
  description:
    'Where a gift went, recomputable by anyone from the chain. Pooled money is fungible: uses are attributed (restricted gifts specifically, the pool first in first out), not proven.',
})
export class DonationTrace {
  @Field(() => ID)
  charityId!: string;

  @Field()
  charityName!: string;

  @Field(() => Int)
  sequence!: number;

  @Field({ description: 'CASH or IN_KIND.' })
  kind!: string;

  @Field()
  receivedAt!: Date;

  @Field(() => MoneyType, { description: 'The gift of money, or the fair value of the goods given.' })
  amount!: MoneyType;

  @Field(() => RestrictionType)
  restriction!: RestrictionType;

  @Field()
  reversed!: boolean;

  @Field(() => Int, { nullable: true })
  reversedBy!: number | null;

  @Field(() => [GiftUse])
  uses!: GiftUse[];

  @Field(() => [GiftGoods])
  goods!: GiftGoods[];

  @Field(() => [GiftDelivery])
  deliveries!: GiftDelivery[];

  @Field(() => MoneyType, { description: 'Cash: spending attributed to the gift (reversed entries excluded).' })
  attributed!: MoneyType;

  @Field(() => MoneyType)
  refunded!: MoneyType;

  @Field(() => MoneyType, { description: 'Cash: what is left of the gift. attributed + refunded + unspent = the gift.' })
  unspent!: MoneyType;
}

@ObjectType({ description: 'A gift behind (part of) a spending entry.' })
export class FundingShare {
  @Field(() => Int)
  donationSequence!: number;

  @Field({ description: 'MONEY (cash drawn) or GOODS (goods delivered, valued in their lot’s terms).' })
  kind!: string;

  @Field(() => MoneyType, { nullable: true, description: 'Money drawn from the gift, or the gift’s share of goods bought with money.' })
  amount!: MoneyType | null;

  @Field(() => String, { nullable: true })
  itemCode!: string | null;

  @Field(() => String, { nullable: true, description: 'Units of goods attributed to the gift.' })
  units!: string | null;
}

@ObjectType({ description: 'One entry and how it is connected to gifts.' })
export class EntryTrace {
  @Field(() => LedgerEntry)
  entry!: LedgerEntry;

  @Field(() => DonationTrace, { nullable: true, description: 'When the entry is a gift: where it went.' })
  gift!: DonationTrace | null;

  @Field(() => [FundingShare], { description: 'When the entry spent money or delivered goods: whose gifts it drew on.' })
  funding!: FundingShare[];
}

@ObjectType()
export class IssuedReceiptCode {
  @Field(() => ID)
  charityId!: string;

  @Field(() => Int)
  donationSequence!: number;

  @Field({ description: 'Shown once: only its hash is stored. Earlier codes of the gift stop working.' })
  receiptCode!: string;
}

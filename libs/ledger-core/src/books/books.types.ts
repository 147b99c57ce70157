/**
 * The charity's books as the ledger implies them: money and goods lots, projects,
 * selections, and how every spending entry drew on the gifts. Amounts are integer
 * minor units (fen); goods are whole units.
 */

export const PROJECT_CATEGORIES = [
  'MEDICAL_AID',
  'DISABILITY_SUPPORT',
  'ELDERLY_CARE',
  'CHILD_WELFARE',
  'POVERTY_RELIEF',
  'DISASTER_RELIEF',
  'EDUCATION',
  'OTHER',
] as const;
export type ProjectCategory = (typeof PROJECT_CATEGORIES)[number];

/** The expense split of 慈善法 Art. 61 and Form 990 Part IX. */
export const COST_CLASSES = ['CHARITABLE_ACTIVITY', 'MANAGEMENT', 'FUNDRAISING'] as const;
export type CostClass = (typeof COST_CLASSES)[number];

export type Restriction =
  | { kind: 'UNRESTRICTED' }
  | { kind: 'PROJECT'; projectId: string }
  | { kind: 'PURPOSE'; purpose: string };

export interface Region {
  /** Region code: a Shenzhen district or street code from the codelist, or another region code. */
  code: string;
  district?: string;
  street?: string;
}

export interface Project {
  projectId: string;
  title: string;
  purpose: string;
  category: ProjectCategory;
  region: Region;
  startDate: string;
  endDate: string;
  budgetMinor: number;
  publicFundraising: boolean;
  status: 'OPEN' | 'CLOSED';
  openedSequence: number;
  closedSequence: number | null;
}

/** A gift of money: drawn on by spending, first in first out within its eligibility. */
export interface MoneyLot {
  sequence: number;
  restriction: Restriction;
  amount: number;
  remaining: number;
  receivedAt: string;
  reversed: boolean;
}

/** A share of the money that bought a goods lot (or, for gifts in kind, the gift itself). */
export interface GoodsSlice {
  fundingSequence: number;
  value: number;
  remaining: number;
}

/** Goods on hand: one line of a procurement, or one item of a gift in kind. */
export interface GoodsLot {
  lotId: string;
  sourceSequence: number;
  line: number;
  source: 'PROCUREMENT' | 'IN_KIND';
  itemCode: string;
  unit: string;
  /** Goods bought for a project serve it only; null for unrestricted gifts in kind. */
  projectId: string | null;
  restriction: Restriction;
  quantity: number;
  remaining: number;
  /** Value of one unit in the slices' terms: fen for procurements, 1 for gifts in kind (slices count units). */
  unitValue: number;
  /**
   * What the lot's `quantity` units cost, in minor units: the procurement line's
   * amount, or the item's share of a gift in kind's fair value (split over the
   * gift's items by units). Goods given out are valued at this cost (docs/figures.md).
   */
  cost: number;
  slices: GoodsSlice[];
  reversed: boolean;
}

export interface Beneficiary {
  pseudonym: string;
  commitment: string;
  region: Region;
  selectionSequence: number;
}

/** One draw of money from a gift by an entry. */
export interface MoneyDraw {
  fundingSequence: number;
  amount: number;
}

/** One draw of goods from a lot, with the gifts behind the units drawn. */
export interface GoodsDraw {
  lotId: string;
  itemCode: string;
  units: number;
  slices: Array<{ fundingSequence: number; value: number }>;
}

/** What an entry did to the books: enough to project it and to undo it. */
export interface EntryEffects {
  sequence: number;
  type: string;
  occurredAt: string;
  projectId: string | null;
  costClass: CostClass | null;
  moneyDraws: MoneyDraw[];
  goodsDraws: GoodsDraw[];
  lotsCreated: string[];
  /** For a disbursement: where the beneficiary lives (the public sees counts per region). */
  beneficiaryRegion: Region | null;
  beneficiary: string | null;
  selected: string[];
  /** For a project closed with its leftovers moved: the gifts and goods re-restricted. */
  transferredTo: string | null;
  transferredMoney: MoneyDraw[];
  /** Goods lots moved, with the units they held when moved. */
  transferredGoods: Array<{ lotId: string; units: number }>;
  /** For a reversal: the entry it reverses. */
  reverses: number | null;
}

export type BooksErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'INSUFFICIENT_FUNDS' | 'INSUFFICIENT_GOODS' | 'CONFLICT';

/** A command the books refuse; `field` names the offending input when there is one. */
export class BooksError extends Error {
  constructor(
    readonly code: BooksErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'BooksError';
  }
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Read models of the books, kept in step with the ledger inside each append
 * transaction (books.projector.ts) and rebuildable from the chain alone. Money
 * in minor units (bigint), goods in whole units.
 */

@Entity({ name: 'book_project' })
export class BookProjectEntity {
  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_book_project' })
  charityId!: string;

  @PrimaryColumn({ name: 'project_id', type: 'text', primaryKeyConstraintName: 'pk_book_project' })
  projectId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ type: 'text' })
  category!: string;

  @Column({ name: 'region_code', type: 'text' })
  regionCode!: string;

  @Column({ type: 'text', nullable: true })
  district!: string | null;

  @Column({ type: 'text', nullable: true })
  street!: string | null;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'end_date', type: 'date' })
  endDate!: string;

  @Column({ name: 'budget_minor', type: 'bigint' })
  budgetMinor!: string;

  @Column({ name: 'public_fundraising', type: 'boolean' })
  publicFundraising!: boolean;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'opened_sequence', type: 'bigint' })
  openedSequence!: string;

  @Column({ name: 'closed_sequence', type: 'bigint', nullable: true })
  closedSequence!: string | null;
}

@Entity({ name: 'book_money_lot' })
@Index('ix_book_money_lot_project', ['charityId', 'projectId'])
export class BookMoneyLotEntity {
  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_book_money_lot' })
  charityId!: string;

  /** Sequence of the gift. */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_book_money_lot' })
  sequence!: string;

  @Column({ name: 'restriction_kind', type: 'text' })
  restrictionKind!: string;

  @Column({ name: 'project_id', type: 'text', nullable: true })
  projectId!: string | null;

  @Column({ type: 'text', nullable: true })
  purpose!: string | null;

  @Column({ name: 'amount_minor', type: 'bigint' })
  amountMinor!: string;

  @Column({ name: 'remaining_minor', type: 'bigint' })
  remainingMinor!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ type: 'boolean' })
  reversed!: boolean;
}

@Entity({ name: 'book_goods_lot' })
@Index('ix_book_goods_lot_source', ['charityId', 'sourceSequence'])
export class BookGoodsLotEntity {
  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_book_goods_lot' })
  charityId!: string;

  /** `<entry sequence>/<line>` */
  @PrimaryColumn({ name: 'lot_id', type: 'text', primaryKeyConstraintName: 'pk_book_goods_lot' })
  lotId!: string;

  @Column({ name: 'source_sequence', type: 'bigint' })
  sourceSequence!: string;

  @Column({ type: 'integer' })
  line!: number;

  /** PROCUREMENT or IN_KIND */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'item_code', type: 'text' })
  itemCode!: string;

  @Column({ type: 'text' })
  unit!: string;

  @Column({ name: 'project_id', type: 'text', nullable: true })
  projectId!: string | null;

  @Column({ name: 'restriction_kind', type: 'text' })
  restrictionKind!: string;

  @Column({ type: 'bigint' })
  quantity!: string;

  @Column({ type: 'bigint' })
  remaining!: string;

  /** Value of one unit in its slices' terms: minor units for procurements, 1 for gifts in kind. */
  @Column({ name: 'unit_value', type: 'bigint' })
  unitValue!: string;

  @Column({ type: 'boolean' })
  reversed!: boolean;
}

/** Whose money bought (part of) a goods lot. */
@Entity({ name: 'book_goods_slice' })
@Index('ix_book_goods_slice_funding', ['charityId', 'fundingSequence'])
export class BookGoodsSliceEntity {
  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_book_goods_slice' })
  charityId!: string;

  @PrimaryColumn({ name: 'lot_id', type: 'text', primaryKeyConstraintName: 'pk_book_goods_slice' })
  lotId!: string;

  @PrimaryColumn({ name: 'slice_index', type: 'integer', primaryKeyConstraintName: 'pk_book_goods_slice' })
  sliceIndex!: number;

  @Column({ name: 'funding_sequence', type: 'bigint' })
  fundingSequence!: string;

  @Column({ type: 'bigint' })
  value!: string;

  @Column({ type: 'bigint' })
  remaining!: string;
}

/** One draw of an entry on a gift: money spent or refunded, or goods delivered. */
@Entity({ name: 'book_draw' })
@Index('ix_book_draw_funding', ['charityId', 'fundingSequence'])
export class BookDrawEntity {
  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_book_draw' })
  charityId!: string;

  @PrimaryColumn({ name: 'entry_sequence', type: 'bigint', primaryKeyConstraintName: 'pk_book_draw' })
  entrySequence!: string;

  @PrimaryColumn({ name: 'draw_index', type: 'integer', primaryKeyConstraintName: 'pk_book_draw' })
  drawIndex!: number;

  @Column({ name: 'entry_type', type: 'text' })
  entryType!: string;

  /** MONEY or GOODS */
  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'funding_sequence', type: 'bigint' })
  fundingSequence!: string;

  @Column({ name: 'lot_id', type: 'text', nullable: true })
  lotId!: string | null;

  /** Minor units for money; the lot's value terms for goods. */
  @Column({ type: 'bigint' })
  value!: string;

  @Column({ name: 'project_id', type: 'text', nullable: true })
  projectId!: string | null;

  @Column({ name: 'cost_class', type: 'text', nullable: true })
  costClass!: string | null;

  @Column({ name: 'region_code', type: 'text', nullable: true })
  regionCode!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'reversed_by', type: 'bigint', nullable: true })
  reversedBy!: string | null;
}

@Entity({ name: 'book_selection' })
export class BookSelectionEntity {
  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_book_selection' })
  charityId!: string;

  @PrimaryColumn({ name: 'selection_sequence', type: 'bigint', primaryKeyConstraintName: 'pk_book_selection' })
  selectionSequence!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_book_selection' })
  pseudonym!: string;

  @Column({ name: 'project_id', type: 'text' })
  projectId!: string;

  @Column({ name: 'region_code', type: 'text' })
  regionCode!: string;

  @Column({ type: 'text', nullable: true })
  district!: string | null;

  @Column({ type: 'text', nullable: true })
  street!: string | null;

  @Column({ name: 'reversed_by', type: 'bigint', nullable: true })
  reversedBy!: string | null;
}

@Entity({ name: 'book_reversal' })
export class BookReversalEntity {
  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_book_reversal' })
  charityId!: string;

  @PrimaryColumn({ name: 'reversed_sequence', type: 'bigint', primaryKeyConstraintName: 'pk_book_reversal' })
  reversedSequence!: string;

  @Column({ name: 'reversal_sequence', type: 'bigint' })
  reversalSequence!: string;
}

export const BOOK_ENTITIES = [
  BookProjectEntity,
  BookMoneyLotEntity,
  BookGoodsLotEntity,
  BookGoodsSliceEntity,
  BookDrawEntity,
  BookSelectionEntity,
  BookReversalEntity,
];

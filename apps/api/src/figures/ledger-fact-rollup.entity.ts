import { Column, Entity, PrimaryColumn } from 'typeorm';

/*
 * Rollups of ledger_fact (docs/figures.md, "Rollups"), kept by a trigger on
 * ledger_fact in the same transaction as the facts, so that figures over a year
 * sum a few ten thousand rows instead of millions. "None" (no project, no
 * category, no region) is stored as '' so that it can be part of the key; the
 * figures read it back as null. The service's role may only read them.
 */

/** The money and goods measures of a rollup row, summed (the same columns in the day and month rollups). */
export abstract class RollupMoneyColumns {
  @Column({ name: 'received_cash', type: 'bigint' })
  receivedCash!: string;

  @Column({ name: 'received_in_kind', type: 'bigint' })
  receivedInKind!: string;

  @Column({ type: 'bigint' })
  refunded!: string;

  @Column({ name: 'spent_charitable_activity', type: 'bigint' })
  spentCharitableActivity!: string;

  @Column({ name: 'spent_management', type: 'bigint' })
  spentManagement!: string;

  @Column({ name: 'spent_fundraising', type: 'bigint' })
  spentFundraising!: string;

  @Column({ name: 'goods_disbursed_quantity', type: 'bigint' })
  goodsDisbursedQuantity!: string;

  @Column({ name: 'goods_disbursed_value', type: 'bigint' })
  goodsDisbursedValue!: string;
}

/** Money and goods facts summed by day, charity, project, category, district and street. */
@Entity({ name: 'ledger_fact_day' })
export class LedgerFactDayEntity extends RollupMoneyColumns {
  @PrimaryColumn({ name: 'occurred_on', type: 'date', primaryKeyConstraintName: 'pk_ledger_fact_day' })
  occurredOn!: string;

  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_ledger_fact_day' })
  charityId!: string;

  /** '' for the charity as a whole. */
  @PrimaryColumn({ name: 'project_id', type: 'text', primaryKeyConstraintName: 'pk_ledger_fact_day' })
  projectId!: string;

  @PrimaryColumn({ name: 'project_category', type: 'text', primaryKeyConstraintName: 'pk_ledger_fact_day' })
  projectCategory!: string;

  @PrimaryColumn({ name: 'district_code', type: 'text', primaryKeyConstraintName: 'pk_ledger_fact_day' })
  districtCode!: string;

  @PrimaryColumn({ name: 'street_code', type: 'text', primaryKeyConstraintName: 'pk_ledger_fact_day' })
  streetCode!: string;
}

/**
 * The same sums by month (its first day): a period of whole months reads these,
 * about a twentieth of the day rows (docs/figures.md, "Rollups").
 */
@Entity({ name: 'ledger_fact_month' })
export class LedgerFactMonthEntity extends RollupMoneyColumns {
  /** The first day of the month. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_ledger_fact_month' })
  month!: string;

  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_ledger_fact_month' })
  charityId!: string;

  /** '' for the charity as a whole. */
  @PrimaryColumn({ name: 'project_id', type: 'text', primaryKeyConstraintName: 'pk_ledger_fact_month' })
  projectId!: string;

  @PrimaryColumn({ name: 'project_category', type: 'text', primaryKeyConstraintName: 'pk_ledger_fact_month' })
  projectCategory!: string;

  @PrimaryColumn({ name: 'district_code', type: 'text', primaryKeyConstraintName: 'pk_ledger_fact_month' })
  districtCode!: string;

  @PrimaryColumn({ name: 'street_code', type: 'text', primaryKeyConstraintName: 'pk_ledger_fact_month' })
  streetCode!: string;
}

/** People reached (BENEFICIARY_REACHED quantities) by day, the same keys, and pseudonym: to count distinct people. */
@Entity({ name: 'ledger_reach_day' })
export class LedgerReachDayEntity {
  @PrimaryColumn({ name: 'occurred_on', type: 'date', primaryKeyConstraintName: 'pk_ledger_reach_day' })
  occurredOn!: string;

  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_ledger_reach_day' })
  charityId!: string;

  @PrimaryColumn({ name: 'project_id', type: 'text', primaryKeyConstraintName: 'pk_ledger_reach_day' })
  projectId!: string;

  @PrimaryColumn({ name: 'project_category', type: 'text', primaryKeyConstraintName: 'pk_ledger_reach_day' })
  projectCategory!: string;

  @PrimaryColumn({ name: 'district_code', type: 'text', primaryKeyConstraintName: 'pk_ledger_reach_day' })
  districtCode!: string;

  @PrimaryColumn({ name: 'street_code', type: 'text', primaryKeyConstraintName: 'pk_ledger_reach_day' })
  streetCode!: string;

  /** Never published: only counted. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_ledger_reach_day' })
  pseudonym!: string;

  /** Disbursements minus their reversals. */
  @Column({ type: 'bigint' })
  reached!: string;
}

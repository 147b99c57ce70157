import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Period figures' read model (docs/figures.md): one row per measured effect of an
 * entry, written by the LedgerFactProjector in the append transaction from the
 * same pure function a verifier uses (libs/ledger-core `entryFacts`). Insert-only:
 * a reversal adds the reversed entry's facts negated.
 */
@Entity({ name: 'ledger_fact' })
@Index('ix_ledger_fact_period', ['occurredOn'])
@Index('ix_ledger_fact_charity_period', ['charityId', 'occurredOn'])
@Index('ix_ledger_fact_project_period', ['charityId', 'projectId', 'occurredOn'])
// the people counted since a position: the in-memory reach index catches up through it (reach-index.ts)
@Index('ix_ledger_fact_reached_position', ['position'], { where: `"measure" = 'BENEFICIARY_REACHED'` })
export class LedgerFactEntity {
  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_ledger_fact' })
  charityId!: string;

  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_ledger_fact' })
  sequence!: string;

  /** Order of the fact among its entry's facts. */
  @PrimaryColumn({ name: 'fact_index', type: 'smallint', primaryKeyConstraintName: 'pk_ledger_fact' })
  factIndex!: number;

  /** The entry's global position. */
  @Column({ type: 'bigint' })
  position!: string;

  @Column({ name: 'entry_type', type: 'text' })
  entryType!: string;

  /** Calendar date in China Standard Time. */
  @Column({ name: 'occurred_on', type: 'date' })
  occurredOn!: string;

  /** null: the charity as a whole. */
  @Column({ name: 'project_id', type: 'text', nullable: true })
  projectId!: string | null;

  @Column({ name: 'project_category', type: 'text', nullable: true })
  projectCategory!: string | null;

  @Column({ name: 'district_code', type: 'text', nullable: true })
  districtCode!: string | null;

  @Column({ name: 'street_code', type: 'text', nullable: true })
  streetCode!: string | null;

  /** RECEIVED_CASH, RECEIVED_IN_KIND, REFUNDED, SPENT, GOODS_DISBURSED or BENEFICIARY_REACHED. */
  @Column({ type: 'text' })
  measure!: string;

  @Column({ name: 'cost_class', type: 'text', nullable: true })
  costClass!: string | null;

  @Column({ name: 'item_code', type: 'text', nullable: true })
  itemCode!: string | null;

  /** Minor units (fen), negative for a reversal. */
  @Column({ type: 'bigint' })
  amount!: string;

  /** Units given out, or people reached (1), negative for a reversal. */
  @Column({ type: 'bigint' })
  quantity!: string;

  /** Who a disbursement reached, to count distinct people; never published. */
  @Column({ type: 'text', nullable: true })
  pseudonym!: string | null;

  /** For a reversal's facts: the sequence of the entry reversed. */
  @Column({ name: 'reversed_sequence', type: 'bigint', nullable: true })
  reversedSequence!: string | null;
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CharityEntity } from '../charities/charity.entity.js';

/**
 * One entry of a charity's hash chain. Append-only: the database refuses UPDATE,
 * DELETE and TRUNCATE (migrations/…-ledger-append-only.ts) and only the ledger
 * module inserts. `canonicalJson` holds the exact bytes that were hashed; every
 * other column is a queryable copy checked against them.
 */
@Entity({ name: 'ledger_entry' })
@Index('uq_ledger_entry_position', ['position'], { unique: true })
@Index('uq_ledger_entry_idempotency', ['idempotencyKey', 'charityId'], { unique: true })
export class LedgerEntryEntity {
  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_ledger_entry' })
  charityId!: string;

  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_ledger_entry' })
  sequence!: string;

  /** Global position across all charities: 1, 2, 3 … in commit order. */
  @Column({ type: 'bigint' })
  position!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'actor_key_id', type: 'uuid' })
  actorKeyId!: string;

  @Column({ name: 'canonical_json', type: 'bytea' })
  canonicalJson!: Buffer;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'character', length: 64 })
  prevHash!: string;

  @Column({ type: 'character', length: 64 })
  hash!: string;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  /** SHA-256 of the canonical request, to tell a retry from a different request under the same key. */
  @Column({ name: 'request_hash', type: 'character', length: 64 })
  requestHash!: string;

  @ManyToOne(() => CharityEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'charity_id', foreignKeyConstraintName: 'fk_ledger_entry_charity' })
  charity?: CharityEntity;
}

import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { LedgerEntryEntity } from '../ledger/ledger-entry.entity.js';

/**
 * The name of a donor who did not consent to publication, kept off the public
 * ledger (the entry holds a random donor reference instead). Readable only by
 * the charity itself and regulators, for the donation receipt (慈善法 Art. 38).
 */
@Entity({ name: 'donor_identity' })
export class DonorIdentityEntity {
  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_donor_identity' })
  charityId!: string;

  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_donor_identity' })
  sequence!: string;

  @Column({ type: 'text' })
  name!: string;

  @ManyToOne(() => LedgerEntryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'charity_id', referencedColumnName: 'charityId', foreignKeyConstraintName: 'fk_donor_identity_entry' },
    { name: 'sequence', referencedColumnName: 'sequence' },
  ])
  entry?: LedgerEntryEntity;
}

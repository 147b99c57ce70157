import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A receipt code lets a donor trace their own gift without an account. It is a
 * random secret shown once; only its SHA-256 is stored. Issuing a new code for a
 * gift revokes the previous one.
 */
@Entity({ name: 'receipt_code' })
@Index('ix_receipt_code_gift', ['charityId', 'donationSequence'])
export class ReceiptCodeEntity {
  @PrimaryColumn({ name: 'code_hash', type: 'character', length: 64, primaryKeyConstraintName: 'pk_receipt_code' })
  codeHash!: string;

  @Column({ name: 'charity_id', type: 'uuid' })
  charityId!: string;

  @Column({ name: 'donation_sequence', type: 'bigint' })
  donationSequence!: string;

  @CreateDateColumn({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}

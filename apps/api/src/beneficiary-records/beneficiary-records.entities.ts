import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';
import { CharityEntity } from '../charities/charity.entity.js';

/**
 * Beneficiaries' personal data, off the ledger (docs/privacy.md). None of these
 * tables is hashed, chained or exported: erasing a person changes no entry.
 */

/**
 * One person enrolled by one charity: the pseudonym and commitment it puts on the
 * ledger, and the personal data sealed (AES-256-GCM) under the person's own data
 * key. After erasure the row stays, with `erased_at`, but its key is gone.
 */
@Entity({ name: 'beneficiary_enrollment' })
@Index('uq_beneficiary_enrollment_active', ['charityId', 'pseudonym'], { unique: true, where: 'erased_at IS NULL' })
@Index('ix_beneficiary_enrollment_pseudonym', ['pseudonym'])
export class BeneficiaryEnrollmentEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_beneficiary_enrollment' })
  id!: string;

  @Column({ name: 'charity_id', type: 'uuid' })
  charityId!: string;

  @ManyToOne(() => CharityEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'charity_id', foreignKeyConstraintName: 'fk_beneficiary_enrollment_charity' })
  charity?: CharityEntity;

  @Column({ type: 'text' })
  pseudonym!: string;

  /** SHA-256(salt ‖ normalized ID number), lowercase hex. */
  @Column({ type: 'character', length: 64 })
  commitment!: string;

  /** The personal record, sealed under the person's data key: 0x01 ‖ IV ‖ tag ‖ ciphertext. */
  @Column({ name: 'sealed_record', type: 'bytea' })
  sealedRecord!: Buffer;

  @Column({ name: 'enrolled_at', type: 'timestamptz', default: () => 'now()' })
  enrolledAt!: Date;

  @Column({ name: 'enrolled_by_key_id', type: 'uuid' })
  enrolledByKeyId!: string;

  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;

  @Column({ name: 'erased_by_key_id', type: 'uuid', nullable: true })
  erasedByKeyId!: string | null;
}

/**
 * The person's data key and commitment salt, each wrapped (AES-256-GCM) under the
 * platform key-encryption key. Erasure deletes this row: without it the sealed
 * record cannot be opened and the commitment cannot be opened to an ID number.
 */
@Entity({ name: 'beneficiary_key' })
export class BeneficiaryKeyEntity {
  @PrimaryColumn({ name: 'enrollment_id', type: 'uuid', primaryKeyConstraintName: 'pk_beneficiary_key' })
  enrollmentId!: string;

  @OneToOne(() => BeneficiaryEnrollmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enrollment_id', foreignKeyConstraintName: 'fk_beneficiary_key_enrollment' })
  enrollment?: BeneficiaryEnrollmentEntity;

  /** Fingerprint of the key-encryption key that wrapped them. */
  @Column({ name: 'kek_id', type: 'character', length: 16 })
  kekId!: string;

  @Column({ name: 'wrapped_key', type: 'bytea' })
  wrappedKey!: Buffer;

  @Column({ name: 'wrapped_salt', type: 'bytea' })
  wrappedSalt!: Buffer;
}

/**
 * Who touched whose personal data, when and why: every enrollment, every read and
 * every erasure, allowed or refused. Append-only for everyone (triggers).
 */
@Entity({ name: 'beneficiary_access_log' })
@Index('ix_beneficiary_access_log_charity', ['charityId', 'id'])
@Index('ix_beneficiary_access_log_pseudonym', ['pseudonym'])
export class BeneficiaryAccessLogEntity {
  @PrimaryColumn({ type: 'bigint', generatedIdentity: 'ALWAYS', generated: 'identity', insert: false, primaryKeyConstraintName: 'pk_beneficiary_access_log' })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ name: 'actor_key_id', type: 'uuid' })
  actorKeyId!: string;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole!: string;

  @Column({ name: 'actor_charity_id', type: 'uuid', nullable: true })
  actorCharityId!: string | null;

  /** ENROLL, READ or ERASE. */
  @Column({ type: 'text' })
  action!: string;

  /** GRANTED, FORBIDDEN, NOT_FOUND, GONE or CONFLICT. */
  @Column({ type: 'text' })
  outcome!: string;

  /** The charity whose enrollment was asked for. */
  @Column({ name: 'charity_id', type: 'uuid' })
  charityId!: string;

  @Column({ type: 'text' })
  pseudonym!: string;

  @Column({ name: 'enrollment_id', type: 'uuid', nullable: true })
  enrollmentId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;
}

/**
 * Fingerprints of the platform keys this database's personal data depend on (the
 * pseudonym key, the key-encryption key). The service refuses to start with
 * another key rather than derive other pseudonyms or fail to unwrap. Append-only.
 */
@Entity({ name: 'beneficiary_platform_key' })
export class BeneficiaryPlatformKeyEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_beneficiary_platform_key' })
  purpose!: string;

  @Column({ name: 'key_id', type: 'character', length: 16 })
  keyId!: string;

  @Column({ name: 'registered_at', type: 'timestamptz', default: () => 'now()' })
  registeredAt!: Date;
}

export const BENEFICIARY_RECORD_ENTITIES = [BeneficiaryEnrollmentEntity, BeneficiaryKeyEntity, BeneficiaryAccessLogEntity, BeneficiaryPlatformKeyEntity];

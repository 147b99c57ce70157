import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CharityEntity } from '../charities/charity.entity.js';

export enum Role {
  ADMIN = 'ADMIN',
  CHARITY = 'CHARITY',
  REGULATOR = 'REGULATOR',
  PUBLIC = 'PUBLIC',
}

/** An API key, stored only as the SHA-256 of the key (the key itself is shown once). */
@Entity({ name: 'api_key' })
@Index('uq_api_key_hash', ['keyHash'], { unique: true })
@Index('ix_api_key_charity', ['charityId'])
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_api_key' })
  id!: string;

  @Column({ name: 'key_hash', type: 'character', length: 64 })
  keyHash!: string;

  /** First characters of the key, to recognise it in lists and logs. */
  @Column({ name: 'key_prefix', type: 'text' })
  keyPrefix!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ name: 'charity_id', type: 'uuid', nullable: true })
  charityId!: string | null;

  @ManyToOne(() => CharityEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'charity_id', foreignKeyConstraintName: 'fk_api_key_charity' })
  charity?: CharityEntity;

  @Column({ type: 'text', default: '' })
  label!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}

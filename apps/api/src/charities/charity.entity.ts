import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export enum CharityKind {
  PUBLIC_FUNDRAISING_FOUNDATION = 'PUBLIC_FUNDRAISING_FOUNDATION',
  NON_PUBLIC_FUNDRAISING_FOUNDATION = 'NON_PUBLIC_FUNDRAISING_FOUNDATION',
  SOCIAL_ORGANISATION = 'SOCIAL_ORGANISATION',
  SOCIAL_SERVICE_AGENCY = 'SOCIAL_SERVICE_AGENCY',
}

@Entity({ name: 'charity' })
@Index('uq_charity_credit_code', ['creditCode'], { unique: true })
@Index('uq_charity_ordinal', ['ordinal'], { unique: true })
export class CharityEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_charity' })
  id!: string;

  /** Registration order, for stable pagination. */
  @Column({ type: 'bigint', generatedIdentity: 'ALWAYS', generated: 'identity', insert: false })
  ordinal!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'credit_code', type: 'character', length: 18 })
  creditCode!: string;

  @Column({ type: 'text' })
  kind!: CharityKind;

  /** ISO 4217: every amount in this charity's books is in this currency. */
  @Column({ type: 'character', length: 3 })
  currency!: string;

  @CreateDateColumn({ name: 'registered_at', type: 'timestamptz' })
  registeredAt!: Date;
}

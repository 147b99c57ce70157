import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CheckpointKeyEntity } from './checkpoint-key.entity.js';

/**
 * A signed tree head: the C2SP tlog-checkpoint of the log at `treeSize` entries,
 * signed as a C2SP signed note. Append-only; each one is consistent with the one
 * before (checked before signing).
 */
@Entity({ name: 'checkpoint' })
@Check('ck_checkpoint_root_hash', `octet_length("root_hash") = 32`)
@Index('ix_checkpoint_verifier_key', ['verifierKey'])
export class CheckpointEntity {
  @PrimaryColumn({ name: 'tree_size', type: 'bigint', primaryKeyConstraintName: 'pk_checkpoint' })
  treeSize!: string;

  /** RFC 6962 root hash of the first `treeSize` entries. */
  @Column({ name: 'root_hash', type: 'bytea' })
  rootHash!: Buffer;

  /** The signed note exactly as published. */
  @Column({ type: 'text' })
  note!: string;

  /** The key that signed it. */
  @Column({ name: 'verifier_key', type: 'text' })
  verifierKey!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @ManyToOne(() => CheckpointKeyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'verifier_key', referencedColumnName: 'verifierKey', foreignKeyConstraintName: 'fk_checkpoint_key' })
  key?: CheckpointKeyEntity;
}

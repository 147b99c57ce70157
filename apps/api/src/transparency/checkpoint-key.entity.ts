import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A key that has signed (or is about to sign) checkpoints, in C2SP verifier-key
 * form. Kept for good: after a rotation, the old key still verifies the checkpoints
 * it signed, so every key is published (GET /.well-known/charity-ledger/keys).
 */
@Entity({ name: 'checkpoint_key' })
export class CheckpointKeyEntity {
  /** `<name>+<key id>+<base64(0x01 ‖ Ed25519 public key)>` */
  @PrimaryColumn({ name: 'verifier_key', type: 'text', primaryKeyConstraintName: 'pk_checkpoint_key' })
  verifierKey!: string;

  /** Key name; the checkpoint origin. */
  @Column({ type: 'text' })
  name!: string;

  /** The 4-byte key ID in 8 lowercase hex digits. */
  @Column({ name: 'key_id', type: 'character', length: 8 })
  keyId!: string;

  /** When a service first signed with this key. */
  @Column({ name: 'activated_at', type: 'timestamptz', default: () => 'now()' })
  activatedAt!: Date;
}

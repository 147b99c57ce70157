import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A stored media file (photo, video, document), named by the SHA-256 of its bytes.
 * The bytes live in the media store (a directory by default); this row says what
 * they are. Never changed: the same bytes are stored once.
 */
@Entity({ name: 'media_object' })
export class MediaObjectEntity {
  @PrimaryColumn({ name: 'sha256', type: 'character', length: 64, primaryKeyConstraintName: 'pk_media_object' })
  sha256!: string;

  /** The type found in the content (image/jpeg, image/png, image/webp, video/mp4, application/pdf). */
  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes!: string;

  /** The charity that uploaded it first. */
  @Column({ name: 'uploaded_by', type: 'uuid' })
  uploadedBy!: string;

  @CreateDateColumn({ name: 'stored_at', type: 'timestamptz' })
  storedAt!: Date;
}

/**
 * Each charity that uploaded a file: it may see the file before an entry makes it
 * public. Two charities can hold the same bytes (a shared invoice), and each may use them.
 */
@Entity({ name: 'media_uploader' })
export class MediaUploaderEntity {
  @PrimaryColumn({ name: 'sha256', type: 'character', length: 64, primaryKeyConstraintName: 'pk_media_uploader' })
  sha256!: string;

  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_media_uploader' })
  charityId!: string;

  @CreateDateColumn({ name: 'uploaded_at', type: 'timestamptz' })
  uploadedAt!: Date;
}

/**
 * A ledger entry's reference to a media hash, written by MediaReferenceProjector in
 * the append transaction. A referenced file is public. The hash need not be stored
 * (an invoice kept on paper); a reversed entry keeps its references.
 */
@Entity({ name: 'media_reference' })
@Index('ix_media_reference_sha256', ['sha256'])
export class MediaReferenceEntity {
  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_media_reference' })
  charityId!: string;

  @PrimaryColumn({ name: 'entry_sequence', type: 'bigint', primaryKeyConstraintName: 'pk_media_reference' })
  entrySequence!: string;

  @PrimaryColumn({ name: 'sha256', type: 'character', length: 64, primaryKeyConstraintName: 'pk_media_reference' })
  sha256!: string;

  @Column({ name: 'entry_position', type: 'bigint' })
  entryPosition!: string;
}

export const MEDIA_ENTITIES = [MediaObjectEntity, MediaUploaderEntity, MediaReferenceEntity];

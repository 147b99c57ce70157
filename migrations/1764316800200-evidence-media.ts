import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence media (docs/api.md, "Media"): what each stored file is, which charities
 * uploaded it, and which ledger entries reference it (a referenced file is public).
 * Tables were generated from the entities with TypeORM's schema builder; the
 * back-fill and the grants are hand-written. The service only ever adds rows.
 */
export class EvidenceMedia1764316800200 implements MigrationInterface {
  name = 'EvidenceMedia1764316800200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "media_object" ("sha256" character(64) NOT NULL, "content_type" text NOT NULL, "size_bytes" bigint NOT NULL, "uploaded_by" uuid NOT NULL, "stored_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_media_object" PRIMARY KEY ("sha256"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "media_uploader" ("sha256" character(64) NOT NULL, "charity_id" uuid NOT NULL, "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_media_uploader" PRIMARY KEY ("sha256", "charity_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "media_reference" ("charity_id" uuid NOT NULL, "entry_sequence" bigint NOT NULL, "sha256" character(64) NOT NULL, "entry_position" bigint NOT NULL, CONSTRAINT "pk_media_reference" PRIMARY KEY ("charity_id", "entry_sequence", "sha256"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_media_reference_sha256" ON "media_reference" ("sha256")`);

    // Entries written before this migration reference media too. This mirrors
    // apps/api/src/media/media-references.ts as it stood when written; from here on
    // MediaReferenceProjector records references in each append transaction.
    await queryRunner.query(`
      INSERT INTO media_reference (charity_id, entry_sequence, sha256, entry_position)
      SELECT DISTINCT e.charity_id, e.sequence, ref.sha256, e.position
        FROM ledger_entry e
        CROSS JOIN LATERAL (
          SELECT e.payload #>> '{invoice,sha256}' WHERE e.type = 'PROCUREMENT_RECORDED'
          UNION ALL SELECT e.payload ->> 'evidenceSha256' WHERE e.type = 'EXPENSE_RECORDED'
          UNION ALL SELECT e.payload ->> 'deliveryEvidenceSha256' WHERE e.type = 'DISBURSEMENT_RECORDED'
          UNION ALL SELECT item ->> 'sha256'
            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e.payload -> 'media') = 'array' THEN e.payload -> 'media' ELSE '[]'::jsonb END) AS item
           WHERE e.type = 'PROGRESS_REPORT_PUBLISHED'
        ) AS ref(sha256)
       WHERE ref.sha256 ~ '^[0-9a-f]{64}$'`);

    await queryRunner.query(`GRANT SELECT, INSERT ON media_object, media_uploader, media_reference TO charity_ledger_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "media_reference"`);
    await queryRunner.query(`DROP TABLE "media_uploader"`);
    await queryRunner.query(`DROP TABLE "media_object"`);
  }
}

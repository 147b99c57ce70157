import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The index of progress reports by project and period (docs/reports.md). The table
 * was generated from the entity with TypeORM's schema builder; the grant is
 * hand-written. PROGRESS_REPORT_PUBLISHED is a new entry type, so there is nothing
 * to fill. Insert-only for the service.
 */
export class ProgressReports1764316800310 implements MigrationInterface {
  name = 'ProgressReports1764316800310';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "progress_report" ("charity_id" uuid NOT NULL, "sequence" bigint NOT NULL, "project_id" text NOT NULL, "period" text NOT NULL, "period_start" date NOT NULL, "period_end" date NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_progress_report" PRIMARY KEY ("charity_id", "sequence"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_progress_report_project" ON "progress_report" ("charity_id", "project_id", "sequence") `);
    await queryRunner.query(`GRANT SELECT, INSERT ON progress_report TO charity_ledger_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "progress_report"`);
  }
}

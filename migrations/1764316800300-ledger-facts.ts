import type { MigrationInterface, QueryRunner } from 'typeorm';
import { fillLedgerFacts } from '../apps/api/src/figures/ledger-fact.fill.js';
import { LEDGER_APPEND_LOCK } from '../apps/api/src/ledger/ledger-sequencer.js';

/**
 * Period figures' read model (docs/figures.md). The table and its indexes were
 * generated from the entity with TypeORM's schema builder; the grant and the fill
 * are hand-written. Facts are insert-only: the service may not change them.
 *
 * Existing entries are measured here, with the same pure function the projector
 * uses, while the append lock is held: appends wait, so no entry is left without
 * its facts (docs/figures.md, "Existing databases").
 */
export class LedgerFacts1764316800300 implements MigrationInterface {
  name = 'LedgerFacts1764316800300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ledger_fact" ("charity_id" uuid NOT NULL, "sequence" bigint NOT NULL, "fact_index" smallint NOT NULL, "position" bigint NOT NULL, "entry_type" text NOT NULL, "occurred_on" date NOT NULL, "project_id" text, "project_category" text, "district_code" text, "street_code" text, "measure" text NOT NULL, "cost_class" text, "item_code" text, "amount" bigint NOT NULL, "quantity" bigint NOT NULL, "pseudonym" text, "reversed_sequence" bigint, CONSTRAINT "pk_ledger_fact" PRIMARY KEY ("charity_id", "sequence", "fact_index"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_ledger_fact_project_period" ON "ledger_fact" ("charity_id", "project_id", "occurred_on") `);
    await queryRunner.query(`CREATE INDEX "ix_ledger_fact_charity_period" ON "ledger_fact" ("charity_id", "occurred_on") `);
    await queryRunner.query(`CREATE INDEX "ix_ledger_fact_period" ON "ledger_fact" ("occurred_on") `);
    await queryRunner.query(`GRANT SELECT, INSERT ON ledger_fact TO charity_ledger_app`);

    await queryRunner.query('SELECT pg_advisory_xact_lock($1)', [LEDGER_APPEND_LOCK]);
    await fillLedgerFacts((sql, params) => queryRunner.query(sql, params));
    await queryRunner.query('ANALYZE ledger_fact');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ledger_fact"`);
  }
}

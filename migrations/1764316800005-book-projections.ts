import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The books' read models and receipt codes: generated from the entities with
 * TypeORM's schema builder and reviewed; the grants are hand-written. These are
 * projections (rebuildable from the chain), so the service may update them.
 */
export class BookProjections1764316800005 implements MigrationInterface {
  name = 'BookProjections1764316800005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "book_project" ("charity_id" uuid NOT NULL, "project_id" text NOT NULL, "title" text NOT NULL, "purpose" text NOT NULL, "category" text NOT NULL, "region_code" text NOT NULL, "district" text, "street" text, "start_date" date NOT NULL, "end_date" date NOT NULL, "budget_minor" bigint NOT NULL, "public_fundraising" boolean NOT NULL, "status" text NOT NULL, "opened_sequence" bigint NOT NULL, "closed_sequence" bigint, CONSTRAINT "pk_book_project" PRIMARY KEY ("charity_id", "project_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "book_money_lot" ("charity_id" uuid NOT NULL, "sequence" bigint NOT NULL, "restriction_kind" text NOT NULL, "project_id" text, "purpose" text, "amount_minor" bigint NOT NULL, "remaining_minor" bigint NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reversed" boolean NOT NULL, CONSTRAINT "pk_book_money_lot" PRIMARY KEY ("charity_id", "sequence"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_book_money_lot_project" ON "book_money_lot" ("charity_id", "project_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "book_goods_lot" ("charity_id" uuid NOT NULL, "lot_id" text NOT NULL, "source_sequence" bigint NOT NULL, "line" integer NOT NULL, "source" text NOT NULL, "item_code" text NOT NULL, "unit" text NOT NULL, "project_id" text, "restriction_kind" text NOT NULL, "quantity" bigint NOT NULL, "remaining" bigint NOT NULL, "unit_value" bigint NOT NULL, "reversed" boolean NOT NULL, CONSTRAINT "pk_book_goods_lot" PRIMARY KEY ("charity_id", "lot_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_book_goods_lot_source" ON "book_goods_lot" ("charity_id", "source_sequence")`,
    );
    await queryRunner.query(
      `CREATE TABLE "book_goods_slice" ("charity_id" uuid NOT NULL, "lot_id" text NOT NULL, "slice_index" integer NOT NULL, "funding_sequence" bigint NOT NULL, "value" bigint NOT NULL, "remaining" bigint NOT NULL, CONSTRAINT "pk_book_goods_slice" PRIMARY KEY ("charity_id", "lot_id", "slice_index"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_book_goods_slice_funding" ON "book_goods_slice" ("charity_id", "funding_sequence")`,
    );
    await queryRunner.query(
      `CREATE TABLE "book_draw" ("charity_id" uuid NOT NULL, "entry_sequence" bigint NOT NULL, "draw_index" integer NOT NULL, "entry_type" text NOT NULL, "kind" text NOT NULL, "funding_sequence" bigint NOT NULL, "lot_id" text, "value" bigint NOT NULL, "project_id" text, "cost_class" text, "region_code" text, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reversed_by" bigint, CONSTRAINT "pk_book_draw" PRIMARY KEY ("charity_id", "entry_sequence", "draw_index"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_book_draw_funding" ON "book_draw" ("charity_id", "funding_sequence")`,
    );
    await queryRunner.query(
      `CREATE TABLE "book_selection" ("charity_id" uuid NOT NULL, "selection_sequence" bigint NOT NULL, "pseudonym" text NOT NULL, "project_id" text NOT NULL, "region_code" text NOT NULL, "district" text, "street" text, "reversed_by" bigint, CONSTRAINT "pk_book_selection" PRIMARY KEY ("charity_id", "selection_sequence", "pseudonym"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "book_reversal" ("charity_id" uuid NOT NULL, "reversed_sequence" bigint NOT NULL, "reversal_sequence" bigint NOT NULL, CONSTRAINT "pk_book_reversal" PRIMARY KEY ("charity_id", "reversed_sequence"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "receipt_code" ("code_hash" character(64) NOT NULL, "charity_id" uuid NOT NULL, "donation_sequence" bigint NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_receipt_code" PRIMARY KEY ("code_hash"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_receipt_code_gift" ON "receipt_code" ("charity_id", "donation_sequence")`,
    );
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON book_project, book_money_lot, book_goods_lot, book_goods_slice, book_draw, book_selection TO charity_ledger_app`,
    );
    await queryRunner.query(`GRANT SELECT, INSERT ON book_reversal TO charity_ledger_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON receipt_code TO charity_ledger_app`);
    await queryRunner.query(`GRANT UPDATE (revoked_at) ON receipt_code TO charity_ledger_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "receipt_code"`);
    await queryRunner.query(`DROP TABLE "book_reversal"`);
    await queryRunner.query(`DROP TABLE "book_selection"`);
    await queryRunner.query(`DROP TABLE "book_draw"`);
    await queryRunner.query(`DROP TABLE "book_goods_slice"`);
    await queryRunner.query(`DROP TABLE "book_goods_lot"`);
    await queryRunner.query(`DROP TABLE "book_money_lot"`);
    await queryRunner.query(`DROP TABLE "book_project"`);
  }
}

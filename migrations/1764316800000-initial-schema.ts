import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Generated from the entities with TypeORM's schema builder, then reviewed. */
export class InitialSchema1764316800000 implements MigrationInterface {
  name = 'InitialSchema1764316800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "charity" ("id" uuid NOT NULL, "ordinal" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "name" text NOT NULL, "credit_code" character(18) NOT NULL, "kind" text NOT NULL, "currency" character(3) NOT NULL, "registered_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_charity" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_charity_ordinal" ON "charity" ("ordinal")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_charity_credit_code" ON "charity" ("credit_code")`);
    await queryRunner.query(
      `CREATE TABLE "api_key" ("id" uuid NOT NULL, "key_hash" character(64) NOT NULL, "key_prefix" text NOT NULL, "role" text NOT NULL, "charity_id" uuid, "label" text NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_api_key" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_api_key_charity" ON "api_key" ("charity_id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_key_hash" ON "api_key" ("key_hash")`);
    await queryRunner.query(
      `CREATE TABLE "ledger_entry" ("charity_id" uuid NOT NULL, "sequence" bigint NOT NULL, "position" bigint NOT NULL, "type" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_key_id" uuid NOT NULL, "canonical_json" bytea NOT NULL, "payload" jsonb NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, "idempotency_key" text NOT NULL, "request_hash" character(64) NOT NULL, CONSTRAINT "pk_ledger_entry" PRIMARY KEY ("charity_id", "sequence"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_ledger_entry_idempotency" ON "ledger_entry" ("charity_id", "idempotency_key")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_ledger_entry_position" ON "ledger_entry" ("position")`);
    await queryRunner.query(
      `CREATE TABLE "donor_identity" ("charity_id" uuid NOT NULL, "sequence" bigint NOT NULL, "name" text NOT NULL, CONSTRAINT "pk_donor_identity" PRIMARY KEY ("charity_id", "sequence"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_key" ADD CONSTRAINT "fk_api_key_charity" FOREIGN KEY ("charity_id") REFERENCES "charity"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_entry" ADD CONSTRAINT "fk_ledger_entry_charity" FOREIGN KEY ("charity_id") REFERENCES "charity"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "donor_identity" ADD CONSTRAINT "fk_donor_identity_entry" FOREIGN KEY ("charity_id", "sequence") REFERENCES "ledger_entry"("charity_id","sequence") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "donor_identity"`);
    await queryRunner.query(`DROP TABLE "ledger_entry"`);
    await queryRunner.query(`DROP TABLE "api_key"`);
    await queryRunner.query(`DROP TABLE "charity"`);
  }
}

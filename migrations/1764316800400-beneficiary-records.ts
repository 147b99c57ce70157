import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APPLICATION_ROLE } from './1764316800002-application-role.js';

/**
 * Beneficiaries' personal data, off the ledger (docs/privacy.md): enrollments
 * with their sealed records, the per-person wrapped keys, the access log and the
 * fingerprints of the platform keys.
 *
 * Tables were generated from the entities with TypeORM's schema builder; triggers,
 * functions and grants are hand-written. The access log and the platform key
 * fingerprints are append-only for everyone, like the ledger. An enrollment is
 * never deleted; the only change it takes is its erasure, once, after its key row
 * is gone. Key rows are never changed, only deleted (that is the erasure).
 */
export class BeneficiaryRecords1764316800400 implements MigrationInterface {
  name = 'BeneficiaryRecords1764316800400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "beneficiary_enrollment" ("id" uuid NOT NULL, "charity_id" uuid NOT NULL, "pseudonym" text NOT NULL, "commitment" character(64) NOT NULL, "sealed_record" bytea NOT NULL, "enrolled_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "enrolled_by_key_id" uuid NOT NULL, "erased_at" TIMESTAMP WITH TIME ZONE, "erased_by_key_id" uuid, CONSTRAINT "pk_beneficiary_enrollment" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_beneficiary_enrollment_pseudonym" ON "beneficiary_enrollment" ("pseudonym")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_beneficiary_enrollment_active" ON "beneficiary_enrollment" ("charity_id", "pseudonym") WHERE erased_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "beneficiary_key" ("enrollment_id" uuid NOT NULL, "kek_id" character(16) NOT NULL, "wrapped_key" bytea NOT NULL, "wrapped_salt" bytea NOT NULL, CONSTRAINT "pk_beneficiary_key" PRIMARY KEY ("enrollment_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "beneficiary_access_log" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_key_id" uuid NOT NULL, "actor_role" text NOT NULL, "actor_charity_id" uuid, "action" text NOT NULL, "outcome" text NOT NULL, "charity_id" uuid NOT NULL, "pseudonym" text NOT NULL, "enrollment_id" uuid, "reason" text, CONSTRAINT "pk_beneficiary_access_log" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_beneficiary_access_log_pseudonym" ON "beneficiary_access_log" ("pseudonym")`);
    await queryRunner.query(`CREATE INDEX "ix_beneficiary_access_log_charity" ON "beneficiary_access_log" ("charity_id", "id")`);
    await queryRunner.query(
      `CREATE TABLE "beneficiary_platform_key" ("purpose" text NOT NULL, "key_id" character(16) NOT NULL, "registered_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_beneficiary_platform_key" PRIMARY KEY ("purpose"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "beneficiary_enrollment" ADD CONSTRAINT "fk_beneficiary_enrollment_charity" FOREIGN KEY ("charity_id") REFERENCES "charity"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "beneficiary_key" ADD CONSTRAINT "fk_beneficiary_key_enrollment" FOREIGN KEY ("enrollment_id") REFERENCES "beneficiary_enrollment"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // Append-only: the access log is evidence, and the key fingerprints guard the data.
    await queryRunner.query(`
      CREATE FUNCTION beneficiary_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'restrict_violation';
      END
      $$`);
    for (const table of ['beneficiary_access_log', 'beneficiary_platform_key']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_refuse_update_delete BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION beneficiary_refuse_change()`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_refuse_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION beneficiary_refuse_change()`);
    }

    // A key row is deleted by an erasure, one person at a time, and never changed.
    await queryRunner.query(`
      CREATE TRIGGER beneficiary_key_refuse_update BEFORE UPDATE ON beneficiary_key
        FOR EACH ROW EXECUTE FUNCTION beneficiary_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER beneficiary_key_refuse_truncate BEFORE TRUNCATE ON beneficiary_key
        FOR EACH STATEMENT EXECUTE FUNCTION beneficiary_refuse_change()`);

    // An enrollment stays as the record of what was enrolled and erased: the one
    // change it takes is its erasure, once, and only after its key row is deleted.
    await queryRunner.query(`
      CREATE FUNCTION beneficiary_enrollment_check_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.erased_at IS NOT NULL THEN
          RAISE EXCEPTION 'beneficiary enrollment % was erased at %; it takes no further change', OLD.id, OLD.erased_at
            USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.erased_at IS NULL OR NEW.erased_by_key_id IS NULL
           OR (NEW.id, NEW.charity_id, NEW.pseudonym, NEW.commitment, NEW.sealed_record, NEW.enrolled_at, NEW.enrolled_by_key_id)
              IS DISTINCT FROM (OLD.id, OLD.charity_id, OLD.pseudonym, OLD.commitment, OLD.sealed_record, OLD.enrolled_at, OLD.enrolled_by_key_id) THEN
          RAISE EXCEPTION 'beneficiary enrollment %: the only change allowed is its erasure (erased_at and erased_by_key_id)', OLD.id
            USING ERRCODE = 'restrict_violation';
        END IF;
        IF EXISTS (SELECT 1 FROM beneficiary_key k WHERE k.enrollment_id = OLD.id) THEN
          RAISE EXCEPTION 'beneficiary enrollment %: delete its key before marking it erased', OLD.id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER beneficiary_enrollment_check_update BEFORE UPDATE ON beneficiary_enrollment
        FOR EACH ROW EXECUTE FUNCTION beneficiary_enrollment_check_update()`);
    await queryRunner.query(`
      CREATE TRIGGER beneficiary_enrollment_refuse_delete BEFORE DELETE ON beneficiary_enrollment
        FOR EACH ROW EXECUTE FUNCTION beneficiary_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER beneficiary_enrollment_refuse_truncate BEFORE TRUNCATE ON beneficiary_enrollment
        FOR EACH STATEMENT EXECUTE FUNCTION beneficiary_refuse_change()`);

    await queryRunner.query(`GRANT SELECT, INSERT ON beneficiary_enrollment TO ${APPLICATION_ROLE}`);
    await queryRunner.query(`GRANT UPDATE (erased_at, erased_by_key_id) ON beneficiary_enrollment TO ${APPLICATION_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON beneficiary_key TO ${APPLICATION_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT ON beneficiary_access_log, beneficiary_platform_key TO ${APPLICATION_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "beneficiary_platform_key"`);
    await queryRunner.query(`DROP TABLE "beneficiary_access_log"`);
    await queryRunner.query(`DROP TABLE "beneficiary_key"`);
    await queryRunner.query(`DROP TABLE "beneficiary_enrollment"`);
    await queryRunner.query(`DROP FUNCTION beneficiary_enrollment_check_update()`);
    await queryRunner.query(`DROP FUNCTION beneficiary_refuse_change()`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export const APPLICATION_ROLE = 'charity_ledger_app';

/**
 * Hand-written: the least-privilege role the service runs as. It may read, and
 * append to the ledger, but never update, delete or truncate it. Roles are
 * cluster-wide, so creation tolerates a role made by another database's migration.
 */
export class ApplicationRole1764316800002 implements MigrationInterface {
  name = 'ApplicationRole1764316800002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        CREATE ROLE ${APPLICATION_ROLE} NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END
      $$`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO ${APPLICATION_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT ON charity, ledger_entry, donor_identity TO ${APPLICATION_ROLE}`);
    await queryRunner.query(`GRANT SELECT, INSERT ON api_key TO ${APPLICATION_ROLE}`);
    await queryRunner.query(`GRANT UPDATE (revoked_at) ON api_key TO ${APPLICATION_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON charity, ledger_entry, donor_identity, api_key FROM ${APPLICATION_ROLE}`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM ${APPLICATION_ROLE}`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written: one round trip for everything an append transaction reads under
 * its lock, and an idempotency index that cannot be mistaken for a chain index
 * (the planner once chose it for `charity_id = $1` lookups on a fresh database).
 */
export class AppendContext1764316800003 implements MigrationInterface {
  name = 'AppendContext1764316800003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_ledger_entry_idempotency"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_ledger_entry_idempotency" ON "ledger_entry" ("idempotency_key", "charity_id")`);
    await queryRunner.query(`
      CREATE FUNCTION ledger_append_context(lock_key bigint, charity_ids uuid[], key_charities uuid[], idempotency_keys text[])
      RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        context jsonb;
      BEGIN
        -- every appender, in every process, takes this lock first; what follows sees
        -- everything committed before it was granted
        PERFORM pg_advisory_xact_lock(lock_key);
        SELECT jsonb_build_object(
          'lastPosition', (SELECT coalesce(max(e.position), 0) FROM ledger_entry e),
          'heads', coalesce((
            SELECT jsonb_agg(jsonb_build_array(c.id, h.sequence, h.hash))
              FROM unnest(charity_ids) AS c(id)
              LEFT JOIN LATERAL (
                SELECT e.sequence, e.hash FROM ledger_entry e WHERE e.charity_id = c.id ORDER BY e.sequence DESC LIMIT 1
              ) h ON true), '[]'::jsonb),
          'known', coalesce((
            SELECT jsonb_agg(jsonb_build_array(e.charity_id, e.idempotency_key, e.request_hash, e.sequence))
              FROM ledger_entry e
             WHERE (e.idempotency_key, e.charity_id) IN (SELECT k.key, k.charity FROM unnest(idempotency_keys, key_charities) AS k(key, charity))
          ), '[]'::jsonb)
        ) INTO context;
        RETURN context;
      END
      $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION ledger_append_context(bigint, uuid[], uuid[], text[]) FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION ledger_append_context(bigint, uuid[], uuid[], text[]) TO charity_ledger_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ledger_append_context(bigint, uuid[], uuid[], text[])`);
    await queryRunner.query(`DROP INDEX "uq_ledger_entry_idempotency"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_ledger_entry_idempotency" ON "ledger_entry" ("charity_id", "idempotency_key")`);
  }
}

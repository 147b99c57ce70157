import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written: the database itself keeps the ledger append-only and its chains
 * intact, whatever connects to it. Only a superuser who disables these triggers
 * can change history, and verification against published checkpoints catches that.
 */
export class LedgerAppendOnly1764316800001 implements MigrationInterface {
  name = 'LedgerAppendOnly1764316800001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger table % is append-only: % is not allowed; record a correcting entry instead', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'restrict_violation';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER ledger_entry_refuse_update_delete BEFORE UPDATE OR DELETE ON ledger_entry
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER ledger_entry_refuse_truncate BEFORE TRUNCATE ON ledger_entry
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`);

    // Every inserted row must hash to its stored hash, agree with its canonical
    // bytes, extend its charity's chain by exactly one, and take the next global position.
    await queryRunner.query(`
      CREATE FUNCTION ledger_entry_check_append() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        document jsonb;
        previous record;
        last_position bigint;
      BEGIN
        IF encode(sha256(NEW.canonical_json), 'hex') <> NEW.hash THEN
          RAISE EXCEPTION 'ledger entry %/%: hash is not the SHA-256 of canonical_json', NEW.charity_id, NEW.sequence
            USING ERRCODE = 'check_violation';
        END IF;
        document := convert_from(NEW.canonical_json, 'UTF8')::jsonb;
        IF document->>'charityId' IS DISTINCT FROM NEW.charity_id::text
           OR (document->>'sequence')::bigint IS DISTINCT FROM NEW.sequence
           OR document->>'type' IS DISTINCT FROM NEW.type
           OR document->>'prevHash' IS DISTINCT FROM NEW.prev_hash
           OR document->>'actorKeyId' IS DISTINCT FROM NEW.actor_key_id::text
           OR (document->>'occurredAt')::timestamptz IS DISTINCT FROM NEW.occurred_at
           OR (document->>'recordedAt')::timestamptz IS DISTINCT FROM NEW.recorded_at
           OR document->'payload' IS DISTINCT FROM NEW.payload THEN
          RAISE EXCEPTION 'ledger entry %/%: columns differ from canonical_json', NEW.charity_id, NEW.sequence
            USING ERRCODE = 'check_violation';
        END IF;
        SELECT e.sequence, e.hash INTO previous FROM ledger_entry e
          WHERE e.charity_id = NEW.charity_id ORDER BY e.sequence DESC LIMIT 1;
        IF NOT FOUND THEN
          IF NEW.sequence <> 1 OR NEW.prev_hash <> repeat('0', 64) THEN
            RAISE EXCEPTION 'ledger entry %/%: a chain starts at sequence 1 with the genesis prevHash', NEW.charity_id, NEW.sequence
              USING ERRCODE = 'check_violation';
          END IF;
        ELSIF NEW.sequence <> previous.sequence + 1 OR NEW.prev_hash <> previous.hash THEN
          RAISE EXCEPTION 'ledger entry %/%: does not extend the chain head %', NEW.charity_id, NEW.sequence, previous.sequence
            USING ERRCODE = 'check_violation';
        END IF;
        SELECT max(e.position) INTO last_position FROM ledger_entry e;
        IF NEW.position <> coalesce(last_position, 0) + 1 THEN
          RAISE EXCEPTION 'ledger entry %/%: position % is not the next global position %', NEW.charity_id, NEW.sequence, NEW.position, coalesce(last_position, 0) + 1
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER ledger_entry_check_append BEFORE INSERT ON ledger_entry
        FOR EACH ROW EXECUTE FUNCTION ledger_entry_check_append()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ledger_entry_check_append ON ledger_entry`);
    await queryRunner.query(`DROP FUNCTION ledger_entry_check_append()`);
    await queryRunner.query(`DROP TRIGGER ledger_entry_refuse_truncate ON ledger_entry`);
    await queryRunner.query(`DROP TRIGGER ledger_entry_refuse_update_delete ON ledger_entry`);
    await queryRunner.query(`DROP FUNCTION ledger_refuse_change()`);
  }
}

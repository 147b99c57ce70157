import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written: the append checks of LedgerAppendOnly1764316800001, run once per
 * INSERT statement over all its rows (a transition table) instead of once per
 * row. Same rules, same messages; a batch of 1,000 entries is checked with a few
 * set-based queries instead of 1,000 trigger calls.
 */
export class SetBasedAppendCheck1764316800004 implements MigrationInterface {
  name = 'SetBasedAppendCheck1764316800004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ledger_entry_check_append ON ledger_entry`);
    await queryRunner.query(`DROP FUNCTION ledger_entry_check_append()`);
    await queryRunner.query(`
      CREATE FUNCTION ledger_entry_check_appended() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad record;
        first_position bigint;
        last_position bigint;
        appended bigint;
      BEGIN
        -- every hash is the SHA-256 of its bytes
        SELECT n.charity_id, n.sequence INTO bad FROM appended_rows n
         WHERE encode(sha256(n.canonical_json), 'hex') <> n.hash LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'ledger entry %/%: hash is not the SHA-256 of canonical_json', bad.charity_id, bad.sequence
            USING ERRCODE = 'check_violation';
        END IF;

        -- every queryable column agrees with the hashed document
        SELECT n.charity_id, n.sequence INTO bad
          FROM appended_rows n CROSS JOIN LATERAL (SELECT convert_from(n.canonical_json, 'UTF8')::jsonb AS d) doc
         WHERE doc.d->>'charityId' IS DISTINCT FROM n.charity_id::text
            OR (doc.d->>'sequence')::bigint IS DISTINCT FROM n.sequence
            OR doc.d->>'type' IS DISTINCT FROM n.type
            OR doc.d->>'prevHash' IS DISTINCT FROM n.prev_hash
            OR doc.d->>'actorKeyId' IS DISTINCT FROM n.actor_key_id::text
            OR (doc.d->>'occurredAt')::timestamptz IS DISTINCT FROM n.occurred_at
            OR (doc.d->>'recordedAt')::timestamptz IS DISTINCT FROM n.recorded_at
            OR doc.d->'payload' IS DISTINCT FROM n.payload
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'ledger entry %/%: columns differ from canonical_json', bad.charity_id, bad.sequence
            USING ERRCODE = 'check_violation';
        END IF;

        -- every entry links to its predecessor (which exists), or starts a chain with
        -- the genesis prevHash; with (charity_id, sequence) unique, chains neither fork nor gap
        SELECT n.charity_id, n.sequence INTO bad
          FROM appended_rows n
          LEFT JOIN ledger_entry p ON p.charity_id = n.charity_id AND p.sequence = n.sequence - 1
         WHERE CASE WHEN n.sequence = 1 THEN n.prev_hash <> repeat('0', 64)
                    ELSE p.hash IS NULL OR p.hash <> n.prev_hash END
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'ledger entry %/%: does not extend the chain head', bad.charity_id, bad.sequence
            USING ERRCODE = 'check_violation';
        END IF;

        -- positions continue the log without a gap: the statement's positions are
        -- contiguous, follow the last earlier one, and nothing lies beyond them
        SELECT min(n.position), max(n.position), count(*) INTO first_position, last_position, appended FROM appended_rows n;
        IF last_position - first_position + 1 <> appended
           OR coalesce((SELECT max(e.position) FROM ledger_entry e WHERE e.position < first_position), 0) <> first_position - 1
           OR (SELECT max(e.position) FROM ledger_entry e) <> last_position THEN
          RAISE EXCEPTION 'ledger entries at positions % to %: not the next global position', first_position, last_position
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER ledger_entry_check_appended AFTER INSERT ON ledger_entry
        REFERENCING NEW TABLE AS appended_rows
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_check_appended()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ledger_entry_check_appended ON ledger_entry`);
    await queryRunner.query(`DROP FUNCTION ledger_entry_check_appended()`);
    // the per-row check of LedgerAppendOnly1764316800001, as it was
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
}

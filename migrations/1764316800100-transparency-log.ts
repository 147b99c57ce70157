import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transparency log (docs/ledger-format.md, "The Merkle log"): the RFC 6962
 * tree over every entry in position order, stored as its perfect subtrees, and the
 * signed checkpoints of that tree with the keys that signed them.
 *
 * Tables were generated from the entities with TypeORM's schema builder; triggers,
 * functions and grants are hand-written. Like the ledger, all three tables are
 * append-only for everyone, and the database itself checks every inserted node:
 * a leaf must be the leaf hash of the entry at its position and a parent the node
 * hash of its two stored children, so the tree cannot disagree with the ledger as
 * written, whatever inserts it.
 */
export class TransparencyLog1764316800100 implements MigrationInterface {
  name = 'TransparencyLog1764316800100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "merkle_node" ("level" smallint NOT NULL, "node_index" bigint NOT NULL, "hash" bytea NOT NULL, CONSTRAINT "ck_merkle_node_hash" CHECK (octet_length("hash") = 32), CONSTRAINT "ck_merkle_node_address" CHECK ("level" BETWEEN 0 AND 62 AND "node_index" >= 0), CONSTRAINT "pk_merkle_node" PRIMARY KEY ("level", "node_index"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "checkpoint_key" ("verifier_key" text NOT NULL, "name" text NOT NULL, "key_id" character(8) NOT NULL, "activated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_checkpoint_key" PRIMARY KEY ("verifier_key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "checkpoint" ("tree_size" bigint NOT NULL, "root_hash" bytea NOT NULL, "note" text NOT NULL, "verifier_key" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_checkpoint_root_hash" CHECK (octet_length("root_hash") = 32), CONSTRAINT "pk_checkpoint" PRIMARY KEY ("tree_size"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_checkpoint_verifier_key" ON "checkpoint" ("verifier_key")`);
    await queryRunner.query(
      `ALTER TABLE "checkpoint" ADD CONSTRAINT "fk_checkpoint_key" FOREIGN KEY ("verifier_key") REFERENCES "checkpoint_key"("verifier_key") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // Append-only, like ledger_entry (ledger_refuse_change comes from LedgerAppendOnly1764316800001).
    for (const table of ['merkle_node', 'checkpoint', 'checkpoint_key']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_refuse_update_delete BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_refuse_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`);
    }

    // Checked once per INSERT statement over all its rows (a transition table), as the
    // ledger's own append check is. A parent that disagrees with its stored children is
    // what a writer holding a stale copy of the tree would produce: that one is reported
    // as a serialization failure, so the appender reloads the tree and retries.
    await queryRunner.query(`
      CREATE FUNCTION merkle_node_check_appended() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad record;
        first_leaf bigint;
        last_leaf bigint;
        leaves bigint;
        tree_size bigint;
      BEGIN
        -- leaves continue the tree without a gap, and each is the leaf hash of the entry
        -- at its position: SHA-256(0x00 || the 32 bytes of the entry's hash), position = index + 1
        SELECT min(n.node_index), max(n.node_index), count(*) INTO first_leaf, last_leaf, leaves
          FROM appended_nodes n WHERE n.level = 0;
        IF leaves > 0 AND (
             last_leaf - first_leaf + 1 <> leaves
             OR coalesce((SELECT max(m.node_index) FROM merkle_node m WHERE m.level = 0 AND m.node_index < first_leaf), -1) <> first_leaf - 1
             OR (SELECT max(m.node_index) FROM merkle_node m WHERE m.level = 0) <> last_leaf) THEN
          RAISE EXCEPTION 'merkle leaves % to %: not the next leaves of the tree', first_leaf, last_leaf
            USING ERRCODE = 'check_violation';
        END IF;
        SELECT n.node_index INTO bad
          FROM appended_nodes n
          LEFT JOIN ledger_entry e ON e.position = n.node_index + 1
         WHERE n.level = 0
           AND (e.hash IS NULL OR n.hash <> sha256('\\x00'::bytea || decode(e.hash, 'hex')))
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'merkle leaf %: not the leaf hash of the entry at position %', bad.node_index, bad.node_index + 1
            USING ERRCODE = 'check_violation';
        END IF;

        -- every parent is SHA-256(0x01 || left || right) of its two stored children
        SELECT n.level, n.node_index INTO bad
          FROM appended_nodes n
          LEFT JOIN merkle_node l ON l.level = n.level - 1 AND l.node_index = 2 * n.node_index
          LEFT JOIN merkle_node r ON r.level = n.level - 1 AND r.node_index = 2 * n.node_index + 1
         WHERE n.level > 0
           AND (l.hash IS NULL OR r.hash IS NULL OR n.hash <> sha256('\\x01'::bytea || l.hash || r.hash))
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'merkle node (%, %): not the hash of its stored children', bad.level, bad.node_index
            USING ERRCODE = 'serialization_failure';
        END IF;

        -- exactly the subtrees these leaves complete, no more and no fewer: at level l,
        -- leaves [first_leaf, tree_size) complete nodes [first_leaf >> l, tree_size >> l),
        -- so that proofs always find theirs (checked on the statement's rows alone)
        tree_size := coalesce(last_leaf + 1, 0);
        SELECT l.level INTO bad
          FROM generate_series(1, 62) AS l(level)
          LEFT JOIN (SELECT n.level, count(*) AS nodes, min(n.node_index) AS low, max(n.node_index) AS high
                       FROM appended_nodes n WHERE n.level > 0 GROUP BY n.level) a ON a.level = l.level
         WHERE coalesce(a.nodes, 0) <> (tree_size >> l.level) - (coalesce(first_leaf, 0) >> l.level)
            OR (a.nodes > 0 AND (a.low <> (first_leaf >> l.level) OR a.high <> (tree_size >> l.level) - 1))
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'merkle nodes at level %: not exactly the subtrees completed by leaves % to %', bad.level, first_leaf, last_leaf
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER merkle_node_check_appended AFTER INSERT ON merkle_node
        REFERENCING NEW TABLE AS appended_nodes
        FOR EACH STATEMENT EXECUTE FUNCTION merkle_node_check_appended()`);

    // The service appends nodes and checkpoints and registers its key; it never changes them.
    await queryRunner.query(`GRANT SELECT, INSERT ON merkle_node, checkpoint, checkpoint_key TO charity_ledger_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "checkpoint"`);
    await queryRunner.query(`DROP TABLE "checkpoint_key"`);
    await queryRunner.query(`DROP TABLE "merkle_node"`);
    await queryRunner.query(`DROP FUNCTION merkle_node_check_appended()`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LEDGER_APPEND_LOCK } from '../apps/api/src/ledger/ledger-sequencer.js';

/** The money measures of a set of facts, summed (shared with the month rollup's migration). */
export const MONEY = `
  coalesce(sum(amount) FILTER (WHERE measure = 'RECEIVED_CASH'), 0),
  coalesce(sum(amount) FILTER (WHERE measure = 'RECEIVED_IN_KIND'), 0),
  coalesce(sum(amount) FILTER (WHERE measure = 'REFUNDED'), 0),
  coalesce(sum(amount) FILTER (WHERE measure = 'SPENT' AND cost_class = 'CHARITABLE_ACTIVITY'), 0),
  coalesce(sum(amount) FILTER (WHERE measure = 'SPENT' AND cost_class = 'MANAGEMENT'), 0),
  coalesce(sum(amount) FILTER (WHERE measure = 'SPENT' AND cost_class = 'FUNDRAISING'), 0),
  coalesce(sum(quantity) FILTER (WHERE measure = 'GOODS_DISBURSED'), 0),
  coalesce(sum(amount) FILTER (WHERE measure = 'GOODS_DISBURSED'), 0)`;
export const MONEY_COLUMNS = [
  'received_cash',
  'received_in_kind',
  'refunded',
  'spent_charitable_activity',
  'spent_management',
  'spent_fundraising',
  'goods_disbursed_quantity',
  'goods_disbursed_value',
];
const KEY = `occurred_on, charity_id, coalesce(project_id, ''), coalesce(project_category, ''), coalesce(district_code, ''), coalesce(street_code, '')`;

/** Adds (sign 1) or subtracts (sign −1) the facts of the transition table `facts` to the rollups. */
export function rollUp(facts: string, sign: 1 | -1): string {
  const signed = sign === 1 ? '' : '-';
  return `
    INSERT INTO ledger_fact_day (occurred_on, charity_id, project_id, project_category, district_code, street_code, ${MONEY_COLUMNS.join(', ')})
    SELECT ${KEY}, ${MONEY.split(',\n')
      .map((sum) => `${signed}${sum.trim()}`)
      .join(', ')}
      FROM ${facts} WHERE measure <> 'BENEFICIARY_REACHED' GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ON CONSTRAINT pk_ledger_fact_day DO UPDATE SET ${MONEY_COLUMNS.map((column) => `${column} = ledger_fact_day.${column} + EXCLUDED.${column}`).join(', ')};
    INSERT INTO ledger_reach_day (occurred_on, charity_id, project_id, project_category, district_code, street_code, pseudonym, reached)
    SELECT ${KEY}, pseudonym, ${signed}sum(quantity)
      FROM ${facts} WHERE measure = 'BENEFICIARY_REACHED' GROUP BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ON CONSTRAINT pk_ledger_reach_day DO UPDATE SET reached = ledger_reach_day.reached + EXCLUDED.reached;`;
}

/**
 * Rollups of ledger_fact (docs/figures.md, "Rollups"): money by day and cell, and
 * people reached by day, cell and pseudonym. The tables were generated from the
 * entities with TypeORM's schema builder; the triggers, grants and fill are
 * hand-written. Statement triggers on ledger_fact keep them in the transaction
 * that writes the facts (as the schema owner: SECURITY DEFINER), so the service's
 * role only reads them; a DELETE of facts (a rebuild) subtracts, a TRUNCATE empties.
 */
export class LedgerFactRollups1764316800500 implements MigrationInterface {
  name = 'LedgerFactRollups1764316800500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ledger_fact_day" ("occurred_on" date NOT NULL, "charity_id" uuid NOT NULL, "project_id" text NOT NULL, "project_category" text NOT NULL, "district_code" text NOT NULL, "street_code" text NOT NULL, "received_cash" bigint NOT NULL, "received_in_kind" bigint NOT NULL, "refunded" bigint NOT NULL, "spent_charitable_activity" bigint NOT NULL, "spent_management" bigint NOT NULL, "spent_fundraising" bigint NOT NULL, "goods_disbursed_quantity" bigint NOT NULL, "goods_disbursed_value" bigint NOT NULL, CONSTRAINT "pk_ledger_fact_day" PRIMARY KEY ("occurred_on", "charity_id", "project_id", "project_category", "district_code", "street_code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_reach_day" ("occurred_on" date NOT NULL, "charity_id" uuid NOT NULL, "project_id" text NOT NULL, "project_category" text NOT NULL, "district_code" text NOT NULL, "street_code" text NOT NULL, "pseudonym" text NOT NULL, "reached" bigint NOT NULL, CONSTRAINT "pk_ledger_reach_day" PRIMARY KEY ("occurred_on", "charity_id", "project_id", "project_category", "district_code", "street_code", "pseudonym"))`,
    );
    await queryRunner.query(`GRANT SELECT ON ledger_fact_day, ledger_reach_day TO charity_ledger_app`);

    // no append may write facts between the fill and the triggers
    await queryRunner.query('SELECT pg_advisory_xact_lock($1)', [LEDGER_APPEND_LOCK]);
    await queryRunner.query(`
      CREATE FUNCTION ledger_fact_roll_up() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN ${rollUp('added_facts', 1)}
        ELSIF TG_OP = 'DELETE' THEN ${rollUp('removed_facts', -1)}
        ELSE
          TRUNCATE ledger_fact_day, ledger_reach_day;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION ledger_fact_roll_up() FROM PUBLIC`);
    await queryRunner.query(`
      CREATE TRIGGER ledger_fact_roll_up_insert AFTER INSERT ON ledger_fact
        REFERENCING NEW TABLE AS added_facts FOR EACH STATEMENT EXECUTE FUNCTION ledger_fact_roll_up()`);
    await queryRunner.query(`
      CREATE TRIGGER ledger_fact_roll_up_delete AFTER DELETE ON ledger_fact
        REFERENCING OLD TABLE AS removed_facts FOR EACH STATEMENT EXECUTE FUNCTION ledger_fact_roll_up()`);
    await queryRunner.query(`CREATE TRIGGER ledger_fact_roll_up_truncate AFTER TRUNCATE ON ledger_fact FOR EACH STATEMENT EXECUTE FUNCTION ledger_fact_roll_up()`);
    await queryRunner.query(rollUp('ledger_fact', 1));
    await queryRunner.query('ANALYZE ledger_fact_day');
    await queryRunner.query('ANALYZE ledger_reach_day');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ledger_fact_roll_up_truncate ON ledger_fact`);
    await queryRunner.query(`DROP TRIGGER ledger_fact_roll_up_delete ON ledger_fact`);
    await queryRunner.query(`DROP TRIGGER ledger_fact_roll_up_insert ON ledger_fact`);
    await queryRunner.query(`DROP FUNCTION ledger_fact_roll_up()`);
    await queryRunner.query(`DROP TABLE "ledger_reach_day"`);
    await queryRunner.query(`DROP TABLE "ledger_fact_day"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LEDGER_APPEND_LOCK } from '../apps/api/src/ledger/ledger-sequencer.js';
import { MONEY, MONEY_COLUMNS, rollUp } from './1764316800500-ledger-fact-rollups.js';

const MONTH_KEY = `date_trunc('month', occurred_on)::date, charity_id, coalesce(project_id, ''), coalesce(project_category, ''), coalesce(district_code, ''), coalesce(street_code, '')`;
const KEY_COLUMNS = 'month, charity_id, project_id, project_category, district_code, street_code';

/** Adds (sign 1) or subtracts (sign −1) the money facts of the transition table `facts` to the month rollup. */
function rollUpMonths(facts: string, sign: 1 | -1): string {
  const signed = sign === 1 ? '' : '-';
  return `
    INSERT INTO ledger_fact_month (${KEY_COLUMNS}, ${MONEY_COLUMNS.join(', ')})
    SELECT ${MONTH_KEY}, ${MONEY.split(',\n')
      .map((sum) => `${signed}${sum.trim()}`)
      .join(', ')}
      FROM ${facts} WHERE measure <> 'BENEFICIARY_REACHED' GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ON CONSTRAINT pk_ledger_fact_month DO UPDATE SET ${MONEY_COLUMNS.map((column) => `${column} = ledger_fact_month.${column} + EXCLUDED.${column}`).join(', ')};`;
}

function rollUpFunction(months: boolean): string {
  return `
    CREATE OR REPLACE FUNCTION ledger_fact_roll_up() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN ${rollUp('added_facts', 1)}${months ? rollUpMonths('added_facts', 1) : ''}
      ELSIF TG_OP = 'DELETE' THEN ${rollUp('removed_facts', -1)}${months ? rollUpMonths('removed_facts', -1) : ''}
      ELSE
        TRUNCATE ledger_fact_day, ledger_reach_day${months ? ', ledger_fact_month' : ''};
      END IF;
      RETURN NULL;
    END $$`;
}

/**
 * The money rollup by month (docs/figures.md, "Rollups"), kept by the same statement
 * trigger as the day rollups, which this migration extends; a period of whole months
 * sums it instead of the day rows. And an index on the positions of people-reached
 * facts, through which each instance's in-memory reach index catches up (docs/
 * figures.md, "Counting people"). The table and the index were generated from the
 * entities with TypeORM's schema builder; the function, grant and fill are hand-written.
 */
export class LedgerFactMonthRollup1764316800600 implements MigrationInterface {
  name = 'LedgerFactMonthRollup1764316800600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ledger_fact_month" ("received_cash" bigint NOT NULL, "received_in_kind" bigint NOT NULL, "refunded" bigint NOT NULL, "spent_charitable_activity" bigint NOT NULL, "spent_management" bigint NOT NULL, "spent_fundraising" bigint NOT NULL, "goods_disbursed_quantity" bigint NOT NULL, "goods_disbursed_value" bigint NOT NULL, "month" date NOT NULL, "charity_id" uuid NOT NULL, "project_id" text NOT NULL, "project_category" text NOT NULL, "district_code" text NOT NULL, "street_code" text NOT NULL, CONSTRAINT "pk_ledger_fact_month" PRIMARY KEY ("month", "charity_id", "project_id", "project_category", "district_code", "street_code"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_ledger_fact_reached_position" ON "ledger_fact"  ("position") WHERE "measure" = 'BENEFICIARY_REACHED'`);
    await queryRunner.query(`GRANT SELECT ON ledger_fact_month TO charity_ledger_app`);

    // no append may write facts between the fill and the new trigger function
    await queryRunner.query('SELECT pg_advisory_xact_lock($1)', [LEDGER_APPEND_LOCK]);
    await queryRunner.query(rollUpFunction(true));
    await queryRunner.query(`
      INSERT INTO ledger_fact_month (${KEY_COLUMNS}, ${MONEY_COLUMNS.join(', ')})
      SELECT date_trunc('month', occurred_on)::date, charity_id, project_id, project_category, district_code, street_code,
             ${MONEY_COLUMNS.map((column) => `sum(${column})`).join(', ')}
        FROM ledger_fact_day GROUP BY 1, 2, 3, 4, 5, 6`);
    await queryRunner.query('ANALYZE ledger_fact_month');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(rollUpFunction(false));
    await queryRunner.query(`DROP INDEX "ix_ledger_fact_reached_position"`);
    await queryRunner.query(`DROP TABLE "ledger_fact_month"`);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { money } from '../common/money.type.js';
import { EntryType } from '../ledger/ledger.types.js';
import { aidPeriod } from './duplicate-aid.decide.js';
import type { AidPeriodInput } from './dto/aid-period.input.js';
import type { DuplicateAidPerson, DuplicateAidReport } from './dto/duplicate-aid-report.type.js';

interface Row {
  pseudonym: string;
  charity_id: string;
  charity_name: string;
  currency: string;
  disbursements: string;
  project_ids: string[];
  cash: string;
  goods_value: string;
  goods_units: string;
  first_at: Date;
  last_at: Date;
}

/**
 * Disbursements of the period in projects of the category, one row per entry and
 * lot, from the books' read models: `book_draw` (what each disbursement drew, with
 * `reversed_by` set when it was reversed — those are left out, as the reversal
 * undid them in full), `book_project` (the category), `book_goods_lot` (units and
 * unit price) and, for gifts in kind, the gift's entry (its declared fair value,
 * shared equally over its units). The pseudonym comes from the entry itself.
 */
const REPORT_SQL = `
  WITH lines AS (
    SELECT d.charity_id, d.entry_sequence, d.lot_id, d.kind, sum(d.value) AS value, min(d.occurred_at) AS occurred_at
      FROM book_draw d
      JOIN book_project p ON p.charity_id = d.charity_id AND p.project_id = d.project_id
     WHERE d.entry_type = $1 AND d.reversed_by IS NULL AND d.occurred_at >= $2 AND d.occurred_at < $3 AND p.category = $4
     GROUP BY d.charity_id, d.entry_sequence, d.lot_id, d.kind
  ), given AS (
    SELECT e.payload->>'beneficiary' AS pseudonym, l.charity_id, l.entry_sequence, e.payload->>'projectId' AS project_id, l.occurred_at,
           CASE WHEN l.kind = 'MONEY' THEN l.value ELSE 0 END AS cash,
           CASE WHEN l.kind = 'GOODS' THEN l.value / g.unit_value ELSE 0 END AS units,
           CASE WHEN l.kind <> 'GOODS' THEN 0
                WHEN g.source = 'PROCUREMENT' THEN l.value::numeric
                ELSE l.value * (gift.payload #>> '{valuation,fairValue,minorUnits}')::numeric
                     / (SELECT sum((item->>'quantity')::numeric) FROM jsonb_array_elements(gift.payload->'items') AS item)
           END AS goods_value
      FROM lines l
      JOIN ledger_entry e ON e.charity_id = l.charity_id AND e.sequence = l.entry_sequence
      LEFT JOIN book_goods_lot g ON g.charity_id = l.charity_id AND g.lot_id = l.lot_id
      LEFT JOIN ledger_entry gift ON g.source = 'IN_KIND' AND gift.charity_id = g.charity_id AND gift.sequence = g.source_sequence
  ), duplicated AS (
    SELECT pseudonym FROM given GROUP BY pseudonym HAVING count(DISTINCT charity_id) > 1
  )
  SELECT g.pseudonym, g.charity_id, c.name AS charity_name, c.currency,
         count(DISTINCT g.entry_sequence) AS disbursements, array_agg(DISTINCT g.project_id ORDER BY g.project_id) AS project_ids,
         sum(g.cash) AS cash, round(sum(g.goods_value)) AS goods_value, sum(g.units) AS goods_units,
         min(g.occurred_at) AS first_at, max(g.occurred_at) AS last_at
    FROM given g
    JOIN duplicated USING (pseudonym)
    JOIN charity c ON c.id = g.charity_id
   GROUP BY g.pseudonym, g.charity_id, c.name, c.currency
   ORDER BY g.pseudonym, g.charity_id`;

/**
 * Cross-charity duplicate aid: people (by pseudonym — the same at every charity)
 * who received disbursements in projects of one category from more than one
 * charity in a period. For regulators only; it is never public and never exported.
 */
@Injectable()
export class DuplicateAidService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async report(periodInput: AidPeriodInput, category: string): Promise<DuplicateAidReport> {
    const period = aidPeriod(periodInput);
    const rows = (await this.dataSource.query(REPORT_SQL, [EntryType.DISBURSEMENT_RECORDED, period.start, period.end, category])) as Row[];
    const people: DuplicateAidPerson[] = [];
    for (const row of rows) {
      let person = people.at(-1);
      if (person?.pseudonym !== row.pseudonym) {
        person = { pseudonym: row.pseudonym, charities: [] };
        people.push(person);
      }
      person.charities.push({
        charityId: row.charity_id,
        charityName: row.charity_name,
        disbursements: Number(row.disbursements),
        projectIds: row.project_ids,
        cash: money(row.cash, row.currency),
        goodsValue: money(row.goods_value, row.currency),
        goodsUnits: Number(row.goods_units),
        firstDisbursedAt: row.first_at,
        lastDisbursedAt: row.last_at,
      });
    }
    return { from: period.from, to: period.to, category, people };
  }
}

import type { LedgerFact } from '@charity-ledger/ledger-core';

/** ledger_fact's columns in insert order; `INSERT_FACTS` takes them as arrays. */
export const INSERT_FACTS = `
  INSERT INTO ledger_fact (charity_id, sequence, fact_index, position, entry_type, occurred_on, project_id, project_category,
                           district_code, street_code, measure, cost_class, item_code, amount, quantity, pseudonym, reversed_sequence)
  SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::smallint[], $4::bigint[], $5::text[], $6::date[], $7::text[], $8::text[],
                       $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::bigint[], $16::text[], $17::bigint[])`;

/** Column arrays for INSERT_FACTS, filled entry by entry. */
export class FactColumns {
  readonly columns: unknown[][] = Array.from({ length: 17 }, () => []);

  get size(): number {
    return this.columns[0].length;
  }

  add(charityId: string, position: number, facts: readonly LedgerFact[]): void {
    facts.forEach((fact, index) => {
      const values = [
        charityId,
        fact.sequence,
        index,
        position,
        fact.entryType,
        fact.occurredOn,
        fact.projectId,
        fact.projectCategory,
        fact.districtCode,
        fact.streetCode,
        fact.measure,
        fact.costClass,
        fact.itemCode,
        fact.amount,
        fact.quantity,
        fact.pseudonym,
        fact.reversedSequence,
      ];
      values.forEach((value, column) => this.columns[column].push(value));
    });
  }
}

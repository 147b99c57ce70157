import type { Books, EntryEffects, GoodsLot, MoneyLot, Project, Region } from '@charity-ledger/ledger-core';
import type { AppendedEntry, AppendTransaction, LedgerProjector } from '../ledger/ledger.types.js';

interface Touched {
  projects: Set<string>;
  moneyLots: Set<number>;
  goodsLots: Set<string>;
}

/**
 * Mirrors the books into the book_* tables in the append transaction: the lots,
 * projects and slices each entry touched (with their state after the batch), and
 * the draws, selections and reversals it made. The in-memory books and these
 * tables come from the same `Books` code, so they cannot disagree.
 */
export class BooksProjector implements LedgerProjector {
  project(transaction: AppendTransaction, appended: AppendedEntry[]): void {
    const byCharity = new Map<string, { books: Books; items: AppendedEntry[] }>();
    for (const item of appended) {
      const group = byCharity.get(item.entry.charityId) ?? { books: item.books, items: [] };
      group.items.push(item);
      byCharity.set(item.entry.charityId, group);
    }
    for (const [charityId, { books, items }] of byCharity) {
      const touched: Touched = { projects: new Set(), moneyLots: new Set(), goodsLots: new Set() };
      for (const item of items) collectTouched(books, item.effects, touched);
      this.writeDraws(transaction, charityId, items);
      this.writeSelections(transaction, charityId, items);
      this.writeReversals(transaction, charityId, items);
      this.writeProjects(transaction, charityId, books, touched.projects);
      this.writeMoneyLots(transaction, charityId, books, touched.moneyLots);
      this.writeGoodsLots(transaction, charityId, books, touched.goodsLots);
    }
  }

  private writeDraws(transaction: AppendTransaction, charityId: string, items: AppendedEntry[]): void {
    const rows: unknown[][] = [];
    for (const { effects } of items) {
      let index = 0;
      const common = [effects.type, effects.projectId, effects.costClass, effects.beneficiaryRegion?.code ?? null, effects.occurredAt];
      for (const draw of effects.moneyDraws) {
        rows.push([effects.sequence, index++, 'MONEY', draw.fundingSequence, null, draw.amount, ...common]);
      }
      for (const draw of effects.goodsDraws) {
        for (const slice of draw.slices) rows.push([effects.sequence, index++, 'GOODS', slice.fundingSequence, draw.lotId, slice.value, ...common]);
      }
    }
    if (rows.length === 0) return;
    transaction.queue(
      `INSERT INTO book_draw (charity_id, entry_sequence, draw_index, kind, funding_sequence, lot_id, value,
                              entry_type, project_id, cost_class, region_code, occurred_at)
       SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::text[], $5::bigint[], $6::text[], $7::bigint[],
                                $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])`,
      [charityId, ...columns(rows, 11)],
    );
  }

  private writeSelections(transaction: AppendTransaction, charityId: string, items: AppendedEntry[]): void {
    const rows: unknown[][] = [];
    for (const { entry, effects } of items) {
      if (effects.type !== 'BENEFICIARIES_SELECTED') continue;
      for (const beneficiary of entry.payload.beneficiaries as unknown as Array<{ pseudonym: string; region: Region }>) {
        rows.push([effects.sequence, beneficiary.pseudonym, effects.projectId, beneficiary.region.code, beneficiary.region.district ?? null, beneficiary.region.street ?? null]);
      }
    }
    if (rows.length === 0) return;
    transaction.queue(
      `INSERT INTO book_selection (charity_id, selection_sequence, pseudonym, project_id, region_code, district, street)
       SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
      [charityId, ...columns(rows, 6)],
    );
  }

  private writeReversals(transaction: AppendTransaction, charityId: string, items: AppendedEntry[]): void {
    const reversals = items.filter((item) => item.effects.reverses !== null).map((item) => [item.effects.reverses!, item.effects.sequence]);
    if (reversals.length === 0) return;
    const [reversed, by] = columns(reversals, 2);
    transaction.queue(
      `INSERT INTO book_reversal (charity_id, reversed_sequence, reversal_sequence) SELECT $1, * FROM unnest($2::bigint[], $3::bigint[])`,
      [charityId, reversed, by],
    );
    for (const table of ['book_draw', 'book_selection']) {
      const column = table === 'book_draw' ? 'entry_sequence' : 'selection_sequence';
      transaction.queue(
        `UPDATE ${table} t SET reversed_by = r.by FROM unnest($2::bigint[], $3::bigint[]) AS r(reversed, by)
          WHERE t.charity_id = $1 AND t.${column} = r.reversed`,
        [charityId, reversed, by],
      );
    }
  }

  private writeProjects(transaction: AppendTransaction, charityId: string, books: Books, projectIds: Set<string>): void {
    const present: Project[] = [];
    const gone: string[] = [];
    for (const projectId of projectIds) {
      const project = books.projects.get(projectId);
      if (project) present.push(project);
      else gone.push(projectId);
    }
    if (gone.length > 0) {
      // an opening that was reversed
      transaction.queue('DELETE FROM book_project WHERE charity_id = $1 AND project_id = ANY($2::text[])', [charityId, gone]);
    }
    if (present.length === 0) return;
    const rows = present.map((project) => {
      return [
        project.projectId,
        project.title,
        project.purpose,
        project.category,
        project.region.code,
        project.region.district ?? null,
        project.region.street ?? null,
        project.startDate,
        project.endDate,
        project.budgetMinor,
        project.publicFundraising,
        project.status,
        project.openedSequence,
        project.closedSequence,
      ];
    });
    transaction.queue(
      `INSERT INTO book_project (charity_id, project_id, title, purpose, category, region_code, district, street, start_date, end_date,
                                 budget_minor, public_fundraising, status, opened_sequence, closed_sequence)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[],
                                $10::date[], $11::bigint[], $12::boolean[], $13::text[], $14::bigint[], $15::bigint[])
       ON CONFLICT (charity_id, project_id) DO UPDATE SET status = EXCLUDED.status, closed_sequence = EXCLUDED.closed_sequence`,
      [charityId, ...columns(rows, 14)],
    );
  }

  private writeMoneyLots(transaction: AppendTransaction, charityId: string, books: Books, sequences: Set<number>): void {
    if (sequences.size === 0) return;
    const rows = [...sequences].map((sequence) => {
      const lot: MoneyLot = books.moneyLots.get(sequence)!;
      return [
        lot.sequence,
        lot.restriction.kind,
        lot.restriction.kind === 'PROJECT' ? lot.restriction.projectId : null,
        lot.restriction.kind === 'PURPOSE' ? lot.restriction.purpose : null,
        lot.amount,
        lot.remaining,
        lot.receivedAt,
        lot.reversed,
      ];
    });
    transaction.queue(
      `INSERT INTO book_money_lot (charity_id, sequence, restriction_kind, project_id, purpose, amount_minor, remaining_minor, received_at, reversed)
       SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::timestamptz[], $9::boolean[])
       ON CONFLICT (charity_id, sequence) DO UPDATE SET restriction_kind = EXCLUDED.restriction_kind, project_id = EXCLUDED.project_id,
         remaining_minor = EXCLUDED.remaining_minor, reversed = EXCLUDED.reversed`,
      [charityId, ...columns(rows, 8)],
    );
  }

  private writeGoodsLots(transaction: AppendTransaction, charityId: string, books: Books, lotIds: Set<string>): void {
    if (lotIds.size === 0) return;
    const lots: GoodsLot[] = [...lotIds].map((lotId) => books.goodsLots.get(lotId)!);
    const rows = lots.map((lot) => [
      lot.lotId,
      lot.sourceSequence,
      lot.line,
      lot.source,
      lot.itemCode,
      lot.unit,
      lot.projectId,
      lot.restriction.kind,
      lot.quantity,
      lot.remaining,
      lot.unitValue,
      lot.reversed,
    ]);
    transaction.queue(
      `INSERT INTO book_goods_lot (charity_id, lot_id, source_sequence, line, source, item_code, unit, project_id, restriction_kind,
                                   quantity, remaining, unit_value, reversed)
       SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                                $10::bigint[], $11::bigint[], $12::bigint[], $13::boolean[])
       ON CONFLICT (charity_id, lot_id) DO UPDATE SET project_id = EXCLUDED.project_id, restriction_kind = EXCLUDED.restriction_kind,
         remaining = EXCLUDED.remaining, reversed = EXCLUDED.reversed`,
      [charityId, ...columns(rows, 12)],
    );
    const slices = lots.flatMap((lot) => lot.slices.map((slice, index) => [lot.lotId, index, slice.fundingSequence, slice.value, slice.remaining]));
    if (slices.length === 0) return;
    transaction.queue(
      `INSERT INTO book_goods_slice (charity_id, lot_id, slice_index, funding_sequence, value, remaining)
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bigint[])
       ON CONFLICT (charity_id, lot_id, slice_index) DO UPDATE SET remaining = EXCLUDED.remaining`,
      [charityId, ...columns(slices, 5)],
    );
  }
}

/** What an entry's effects changed in the books (a reversal: what its entry had changed). */
function collectTouched(books: Books, effects: EntryEffects, touched: Touched): void {
  if (effects.reverses !== null) {
    collectTouched(books, books.effects.get(effects.reverses)!, touched);
    return;
  }
  if (effects.type === 'CASH_DONATION') touched.moneyLots.add(effects.sequence);
  else for (const lotId of effects.lotsCreated) touched.goodsLots.add(lotId);
  if (effects.type.startsWith('PROJECT_')) touched.projects.add(effects.projectId!);
  for (const draw of [...effects.moneyDraws, ...effects.transferredMoney]) touched.moneyLots.add(draw.fundingSequence);
  for (const draw of effects.goodsDraws) touched.goodsLots.add(draw.lotId);
  for (const moved of effects.transferredGoods) touched.goodsLots.add(moved.lotId);
}

function columns(rows: unknown[][], count: number): unknown[][] {
  const result: unknown[][] = Array.from({ length: count }, () => []);
  for (const row of rows) row.forEach((value, index) => result[index].push(value));
  return result;
}

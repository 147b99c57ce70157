import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { BookProjectEntity } from '../books/book.entities.js';
import { CharitiesService } from '../charities/charities.service.js';
import { DomainError } from '../common/domain-error.js';
import { chinaDate } from '../common/input-values.js';
import { money } from '../common/money.type.js';
import { toLedgerEntry } from '../ledger/dto/ledger-entry.type.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { EntryType, type LedgerEntryRecord } from '../ledger/ledger.types.js';
import { regionInfo } from '../regions/regions.js';
import type { CharityBalance, GoodsStock, ProjectBalance, SpentByClass } from './dto/balance.type.js';
import type { DonationTrace, EntryTrace, FundingShare, GiftDelivery, GiftGoods, GiftUse, IssuedReceiptCode } from './dto/trace.type.js';
import { newReceiptCode, normalizeReceiptCode, receiptCodeHash } from './receipt-codes.js';

const GIFT_TYPES = new Set<string>([EntryType.CASH_DONATION, EntryType.IN_KIND_DONATION]);

/** Units as a decimal string: exact when whole, else to two places. */
function units(value: number, unitValue: number): string {
  if (value % unitValue === 0) return String(value / unitValue);
  return (value / unitValue).toFixed(2);
}

/**
 * Donor-facing answers from the book_* read models: where a gift went, what an
 * entry drew on, and the balances of a charity and its projects.
 */
@Injectable()
export class TracingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly charities: CharitiesService,
  ) {}

  /** A new receipt code for a gift; earlier codes of the gift stop working. */
  async issueReceiptCode(actor: Actor, charityId: string, donationSequence: number): Promise<IssuedReceiptCode> {
    await this.ledger.writableCharity(actor, charityId);
    const entry = await this.ledger.entry(charityId, donationSequence);
    if (!entry || !GIFT_TYPES.has(entry.type)) throw DomainError.notFound(`Charity ${charityId} has no gift at sequence ${donationSequence}.`);
    const receiptCode = newReceiptCode();
    await this.dataSource.transaction(async (manager) => {
      await manager.query('UPDATE receipt_code SET revoked_at = now() WHERE charity_id = $1 AND donation_sequence = $2 AND revoked_at IS NULL', [
        charityId,
        donationSequence,
      ]);
      await manager.query('INSERT INTO receipt_code (code_hash, charity_id, donation_sequence) VALUES ($1, $2, $3)', [
        receiptCodeHash(normalizeReceiptCode(receiptCode)!),
        charityId,
        donationSequence,
      ]);
    });
    return { charityId, donationSequence, receiptCode };
  }

  async traceDonation(receiptCode: string): Promise<DonationTrace> {
    const normalized = normalizeReceiptCode(receiptCode);
    if (!normalized) throw DomainError.badInput('receiptCode', 'is not a receipt code (RC-XXXX-XXXX-XXXX-XXXX-XXXX)');
    const [row] = (await this.dataSource.query(
      'SELECT charity_id, donation_sequence FROM receipt_code WHERE code_hash = $1 AND revoked_at IS NULL',
      [receiptCodeHash(normalized)],
    )) as Array<{ charity_id: string; donation_sequence: string }>;
    if (!row) throw DomainError.notFound('No gift has this receipt code (it may have been replaced by a newer one).');
    const entry = (await this.ledger.entry(row.charity_id, Number(row.donation_sequence)))!;
    return this.giftTrace(entry);
  }

  async traceEntry(charityId: string, sequence: number): Promise<EntryTrace> {
    await this.charities.get(charityId);
    const entry = await this.ledger.entry(charityId, sequence);
    if (!entry) throw DomainError.notFound(`Charity ${charityId} has no entry ${sequence}.`);
    return {
      entry: toLedgerEntry(entry),
      gift: GIFT_TYPES.has(entry.type) ? await this.giftTrace(entry) : null,
      funding: await this.funding(entry),
    };
  }

  private async giftTrace(entry: LedgerEntryRecord): Promise<DonationTrace> {
    const charity = await this.charities.get(entry.charityId);
    const currency = charity.currency;
    const key = [entry.charityId, entry.sequence];
    const payload = entry.payload as {
      amount?: { minorUnits: number };
      valuation?: { fairValue: { minorUnits: number } };
      restriction: { kind: string; projectId?: string; purpose?: string };
    };

    const useRows = (await this.dataSource.query(
      `SELECT entry_sequence, entry_type, sum(value) AS value, project_id, cost_class, occurred_at, reversed_by
         FROM book_draw WHERE charity_id = $1 AND funding_sequence = $2 AND kind = 'MONEY'
        GROUP BY entry_sequence, entry_type, project_id, cost_class, occurred_at, reversed_by ORDER BY entry_sequence`,
      key,
    )) as Array<{ entry_sequence: string; entry_type: string; value: string; project_id: string | null; cost_class: string | null; occurred_at: Date; reversed_by: string | null }>;
    const uses: GiftUse[] = useRows.map((row) => ({
      sequence: Number(row.entry_sequence),
      type: row.entry_type,
      amount: money(row.value, currency),
      projectId: row.project_id,
      costClass: row.cost_class,
      occurredAt: row.occurred_at,
      reversed: row.reversed_by !== null,
    }));

    const goodsRows = (await this.dataSource.query(
      `SELECT l.lot_id, l.source_sequence, l.source, l.item_code, l.unit, l.unit_value, l.reversed, sum(s.value) AS value, sum(s.remaining) AS remaining
         FROM book_goods_slice s JOIN book_goods_lot l ON l.charity_id = s.charity_id AND l.lot_id = s.lot_id
        WHERE s.charity_id = $1 AND s.funding_sequence = $2
        GROUP BY l.lot_id, l.source_sequence, l.source, l.item_code, l.unit, l.unit_value, l.reversed ORDER BY l.source_sequence, l.lot_id`,
      key,
    )) as Array<{ lot_id: string; source_sequence: string; source: string; item_code: string; unit: string; unit_value: string; reversed: boolean; value: string; remaining: string }>;

    const deliveryRows = (await this.dataSource.query(
      `SELECT d.entry_sequence, d.lot_id, d.value, d.region_code, d.occurred_at, d.reversed_by, l.item_code, l.unit, l.unit_value
         FROM book_draw d JOIN book_goods_lot l ON l.charity_id = d.charity_id AND l.lot_id = d.lot_id
        WHERE d.charity_id = $1 AND d.funding_sequence = $2 AND d.kind = 'GOODS' ORDER BY d.entry_sequence, d.draw_index`,
      key,
    )) as Array<{ entry_sequence: string; lot_id: string; value: string; region_code: string | null; occurred_at: Date; reversed_by: string | null; item_code: string; unit: string; unit_value: string }>;

    const delivered = new Map<string, number>();
    for (const row of deliveryRows) {
      if (row.reversed_by === null) delivered.set(row.lot_id, (delivered.get(row.lot_id) ?? 0) + Number(row.value));
    }
    const goods: GiftGoods[] = goodsRows.map((row) => ({
      lotId: row.lot_id,
      sourceSequence: Number(row.source_sequence),
      source: row.source,
      itemCode: row.item_code,
      unit: row.unit,
      units: units(Number(row.value), Number(row.unit_value)),
      amount: row.source === 'PROCUREMENT' ? money(row.value, currency) : null,
      deliveredUnits: units(delivered.get(row.lot_id) ?? 0, Number(row.unit_value)),
      inStockUnits: units(row.reversed ? 0 : Number(row.remaining), Number(row.unit_value)),
      reversed: row.reversed,
    }));
    const deliveries: GiftDelivery[] = deliveryRows.map((row) => {
      const region = row.region_code ? regionInfo(row.region_code) : undefined;
      return {
        sequence: Number(row.entry_sequence),
        itemCode: row.item_code,
        unit: row.unit,
        units: units(Number(row.value), Number(row.unit_value)),
        regionCode: row.region_code,
        district: region?.district ?? null,
        street: region?.level === 'STREET' ? region.code : null,
        date: chinaDate(row.occurred_at),
        reversed: row.reversed_by !== null,
      };
    });

    let attributed = 0;
    let refunded = 0;
    for (const row of useRows) {
      if (row.reversed_by !== null) continue;
      if (row.entry_type === EntryType.DONATION_REFUNDED) refunded += Number(row.value);
      else attributed += Number(row.value);
    }
    const [lot] = (await this.dataSource.query('SELECT remaining_minor FROM book_money_lot WHERE charity_id = $1 AND sequence = $2', key)) as Array<{
      remaining_minor: string;
    }>;
    const amountMinor = entry.type === EntryType.CASH_DONATION ? payload.amount!.minorUnits : payload.valuation!.fairValue.minorUnits;
    return {
      charityId: entry.charityId,
      charityName: charity.name,
      sequence: entry.sequence,
      kind: entry.type === EntryType.CASH_DONATION ? 'CASH' : 'IN_KIND',
      receivedAt: entry.occurredAt,
      amount: money(amountMinor, currency),
      restriction: { kind: payload.restriction.kind, projectId: payload.restriction.projectId ?? null, purpose: payload.restriction.purpose ?? null },
      reversed: entry.reversedBy !== null,
      reversedBy: entry.reversedBy,
      uses,
      goods,
      deliveries,
      attributed: money(attributed, currency),
      refunded: money(refunded, currency),
      unspent: money(lot ? lot.remaining_minor : 0, currency),
    };
  }

  private async funding(entry: LedgerEntryRecord): Promise<FundingShare[]> {
    const { currency } = await this.charities.get(entry.charityId);
    const rows = (await this.dataSource.query(
      `SELECT d.kind, d.funding_sequence, sum(d.value) AS value, l.item_code, l.unit_value, l.source
         FROM book_draw d LEFT JOIN book_goods_lot l ON l.charity_id = d.charity_id AND l.lot_id = d.lot_id
        WHERE d.charity_id = $1 AND d.entry_sequence = $2
        GROUP BY d.kind, d.funding_sequence, l.item_code, l.unit_value, l.source ORDER BY d.kind DESC, d.funding_sequence`,
      [entry.charityId, entry.sequence],
    )) as Array<{ kind: string; funding_sequence: string; value: string; item_code: string | null; unit_value: string | null; source: string | null }>;
    return rows.map((row) => ({
      donationSequence: Number(row.funding_sequence),
      kind: row.kind,
      amount: row.kind === 'MONEY' || row.source === 'PROCUREMENT' ? money(row.value, currency) : null,
      itemCode: row.item_code,
      units: row.unit_value ? units(Number(row.value), Number(row.unit_value)) : null,
    }));
  }

  async charityBalance(charityId: string): Promise<CharityBalance> {
    const { currency } = await this.charities.get(charityId);
    const [lots] = (await this.dataSource.query(
      `SELECT coalesce(sum(amount_minor) FILTER (WHERE restriction_kind <> 'UNRESTRICTED'), 0) AS received_restricted,
              coalesce(sum(amount_minor) FILTER (WHERE restriction_kind = 'UNRESTRICTED'), 0) AS received_unrestricted,
              coalesce(sum(remaining_minor) FILTER (WHERE restriction_kind <> 'UNRESTRICTED'), 0) AS available_restricted,
              coalesce(sum(remaining_minor) FILTER (WHERE restriction_kind = 'UNRESTRICTED'), 0) AS available_unrestricted
         FROM book_money_lot WHERE charity_id = $1 AND NOT reversed`,
      [charityId],
    )) as Array<Record<string, string>>;
    const [inKind] = (await this.dataSource.query(
      `SELECT count(*) AS gifts, coalesce(sum((e.payload #>> '{valuation,fairValue,minorUnits}')::bigint), 0) AS value
         FROM ledger_entry e LEFT JOIN book_reversal r ON r.charity_id = e.charity_id AND r.reversed_sequence = e.sequence
        WHERE e.charity_id = $1 AND e.type = 'IN_KIND_DONATION' AND r.reversal_sequence IS NULL`,
      [charityId],
    )) as Array<{ gifts: string; value: string }>;
    const spent = await this.spent(charityId, null, currency);
    const [refunded] = (await this.dataSource.query(
      `SELECT coalesce(sum(value), 0) AS value FROM book_draw
        WHERE charity_id = $1 AND kind = 'MONEY' AND entry_type = 'DONATION_REFUNDED' AND reversed_by IS NULL`,
      [charityId],
    )) as Array<{ value: string }>;
    return {
      charityId,
      receivedRestricted: money(lots.received_restricted, currency),
      receivedUnrestricted: money(lots.received_unrestricted, currency),
      inKindGifts: Number(inKind.gifts),
      inKindValue: money(inKind.value, currency),
      spent,
      refunded: money(refunded.value, currency),
      availableRestricted: money(lots.available_restricted, currency),
      availableUnrestricted: money(lots.available_unrestricted, currency),
      available: money(Number(lots.available_restricted) + Number(lots.available_unrestricted), currency),
      goodsInStock: await this.stock(charityId, null),
    };
  }

  async projectBalance(charityId: string, projectId: string): Promise<ProjectBalance> {
    const { currency } = await this.charities.get(charityId);
    const project = await this.dataSource.getRepository(BookProjectEntity).findOneBy({ charityId, projectId });
    if (!project) throw DomainError.notFound(`Charity ${charityId} has no project "${projectId}".`);
    const [lots] = (await this.dataSource.query(
      `SELECT coalesce(sum(amount_minor) FILTER (WHERE restriction_kind = 'PROJECT' AND project_id = $2), 0) AS received_restricted,
              coalesce(sum(remaining_minor) FILTER (WHERE restriction_kind = 'PROJECT' AND project_id = $2), 0) AS available_restricted,
              coalesce(sum(remaining_minor) FILTER (WHERE restriction_kind = 'UNRESTRICTED'), 0) AS available_pool
         FROM book_money_lot WHERE charity_id = $1 AND NOT reversed`,
      [charityId, projectId],
    )) as Array<Record<string, string>>;
    const open = project.status === 'OPEN';
    const restricted = Number(lots.available_restricted);
    const pool = open ? Number(lots.available_pool) : 0;
    return {
      charityId,
      projectId,
      status: project.status,
      receivedRestricted: money(lots.received_restricted, currency),
      spent: await this.spent(charityId, projectId, currency),
      availableRestricted: money(restricted, currency),
      availablePool: money(pool, currency),
      available: money(open ? restricted + pool : 0, currency),
      goodsInStock: await this.stock(charityId, projectId),
    };
  }

  private async spent(charityId: string, projectId: string | null, currency: string): Promise<SpentByClass> {
    const rows = (await this.dataSource.query(
      `SELECT cost_class, coalesce(sum(value), 0) AS value FROM book_draw
        WHERE charity_id = $1 AND kind = 'MONEY' AND entry_type <> 'DONATION_REFUNDED' AND reversed_by IS NULL
          AND ($2::text IS NULL OR project_id = $2)
        GROUP BY cost_class`,
      [charityId, projectId],
    )) as Array<{ cost_class: string; value: string }>;
    const of = (costClass: string) => Number(rows.find((row) => row.cost_class === costClass)?.value ?? 0);
    const total = rows.reduce((sum, row) => sum + Number(row.value), 0);
    return {
      charitableActivity: money(of('CHARITABLE_ACTIVITY'), currency),
      management: money(of('MANAGEMENT'), currency),
      fundraising: money(of('FUNDRAISING'), currency),
      total: money(total, currency),
    };
  }

  private async stock(charityId: string, projectId: string | null): Promise<GoodsStock[]> {
    const rows = (await this.dataSource.query(
      `SELECT item_code, unit, sum(remaining) AS units FROM book_goods_lot
        WHERE charity_id = $1 AND NOT reversed AND remaining > 0 AND ($2::text IS NULL OR project_id = $2)
        GROUP BY item_code, unit ORDER BY item_code, unit`,
      [charityId, projectId],
    )) as Array<{ item_code: string; unit: string; units: string }>;
    return rows.map((row) => ({ itemCode: row.item_code, unit: row.unit, units: Number(row.units) }));
  }
}

import { Books, type BookEntry } from './books.js';
import type { CostClass, Restriction } from './books.types.js';

/** One use of a gift's money by a later entry (spending or refund). */
export interface GiftUse {
  sequence: number;
  type: string;
  amount: number;
  projectId: string | null;
  costClass: CostClass | null;
  occurredAt: string;
  /** The entry was reversed: the amount went back to the gift. */
  reversed: boolean;
}

/** Goods a gift paid for (a procurement line) or is (an item given in kind). */
export interface GiftGoods {
  lotId: string;
  itemCode: string;
  unit: string;
  /** The gift's share of the lot, in the lot's value terms (fen for procurements, units for gifts in kind). */
  value: number;
  unitValue: number;
  reversed: boolean;
}

/** Goods from a gift that reached a beneficiary. */
export interface GiftDelivery {
  sequence: number;
  lotId: string;
  itemCode: string;
  value: number;
  unitValue: number;
  regionCode: string | null;
  occurredAt: string;
  reversed: boolean;
}

export interface GiftAttribution {
  sequence: number;
  kind: 'CASH' | 'IN_KIND';
  /** Cash: the amount; in kind: the number of units given. */
  amount: number;
  restriction: Restriction;
  receivedAt: string;
  reversedBy: number | null;
  uses: GiftUse[];
  goods: GiftGoods[];
  deliveries: GiftDelivery[];
  refunded: number;
  /** Cash not yet used; for gifts in kind, units still in stock. */
  unspent: number;
}

/**
 * Where every gift went, from the chain alone: a pure function of the entries
 * (in sequence order), so anyone holding an export gets the same answer.
 */
export function attributeLedger(currency: string, entries: Iterable<BookEntry>): { books: Books; gifts: Map<number, GiftAttribution> } {
  const books = new Books(currency);
  for (const entry of entries) books.apply(entry);
  return { books, gifts: attributeGifts(books) };
}

/** The attribution of every gift in the books as they stand. */
export function attributeGifts(books: Books): Map<number, GiftAttribution> {
  const gifts = new Map<number, GiftAttribution>();
  for (const lot of books.moneyLots.values()) {
    gifts.set(lot.sequence, {
      sequence: lot.sequence,
      kind: 'CASH',
      amount: lot.amount,
      restriction: lot.restriction,
      receivedAt: lot.receivedAt,
      reversedBy: books.reversedBy.get(lot.sequence) ?? null,
      uses: [],
      goods: [],
      deliveries: [],
      refunded: 0,
      unspent: lot.remaining,
    });
  }
  for (const lot of books.goodsLots.values()) {
    if (lot.source !== 'IN_KIND') continue;
    let gift = gifts.get(lot.sourceSequence);
    if (!gift) {
      gift = {
        sequence: lot.sourceSequence,
        kind: 'IN_KIND',
        amount: 0,
        restriction: lot.restriction,
        receivedAt: books.effects.get(lot.sourceSequence)!.occurredAt,
        reversedBy: books.reversedBy.get(lot.sourceSequence) ?? null,
        uses: [],
        goods: [],
        deliveries: [],
        refunded: 0,
        unspent: 0,
      };
      gifts.set(lot.sourceSequence, gift);
    }
    gift.amount += lot.quantity;
    gift.unspent += lot.remaining;
  }
  for (const lot of books.goodsLots.values()) {
    for (const slice of lot.slices) {
      gifts.get(slice.fundingSequence)?.goods.push({
        lotId: lot.lotId,
        itemCode: lot.itemCode,
        unit: lot.unit,
        value: slice.value,
        unitValue: lot.unitValue,
        reversed: lot.reversed,
      });
    }
  }
  for (const effects of books.effects.values()) {
    const reversed = books.reversedBy.has(effects.sequence);
    const uses = new Map<number, number>();
    for (const draw of effects.moneyDraws) uses.set(draw.fundingSequence, (uses.get(draw.fundingSequence) ?? 0) + draw.amount);
    for (const [fundingSequence, amount] of uses) {
      const gift = gifts.get(fundingSequence)!;
      gift.uses.push({
        sequence: effects.sequence,
        type: effects.type,
        amount,
        projectId: effects.projectId,
        costClass: effects.costClass,
        occurredAt: effects.occurredAt,
        reversed,
      });
      if (effects.type === 'DONATION_REFUNDED' && !reversed) gift.refunded += amount;
    }
    for (const draw of effects.goodsDraws) {
      const lot = books.goodsLots.get(draw.lotId)!;
      for (const slice of draw.slices) {
        gifts.get(slice.fundingSequence)!.deliveries.push({
          sequence: effects.sequence,
          lotId: draw.lotId,
          itemCode: draw.itemCode,
          value: slice.value,
          unitValue: lot.unitValue,
          regionCode: effects.beneficiaryRegion?.code ?? null,
          occurredAt: effects.occurredAt,
          reversed,
        });
      }
    }
  }
  return gifts;
}

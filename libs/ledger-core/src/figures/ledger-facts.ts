import { goodsValue, type Books } from '../books/books.js';
import type { CostClass, EntryEffects, Region, Restriction } from '../books/books.types.js';

/**
 * Period figures (docs/figures.md): every entry that moves money or goods in or
 * out of a charity yields a few signed *facts*, each one measured effect on a
 * calendar date. Sums of facts over any period, charity, project or region are
 * the figures that reports, disclosures and compliance checks publish. Facts are
 * a pure function of the books, so anyone replaying a chain gets the same.
 */
export const FACT_MEASURES = ['RECEIVED_CASH', 'RECEIVED_IN_KIND', 'REFUNDED', 'SPENT', 'GOODS_DISBURSED', 'BENEFICIARY_REACHED'] as const;
export type FactMeasure = (typeof FACT_MEASURES)[number];

export interface LedgerFact {
  /** The entry that produced the fact (for a reversal's facts: the reversal). */
  sequence: number;
  entryType: string;
  /** Calendar date in China Standard Time (UTC+8), YYYY-MM-DD. */
  occurredOn: string;
  /** null: the charity as a whole. */
  projectId: string | null;
  projectCategory: string | null;
  districtCode: string | null;
  streetCode: string | null;
  measure: FactMeasure;
  /** For SPENT only. */
  costClass: CostClass | null;
  /** For goods given out (SPENT at cost, GOODS_DISBURSED). */
  itemCode: string | null;
  /** Minor units (fen), signed: negative for a reversal. */
  amount: number;
  /** Units for GOODS_DISBURSED, people (1) for BENEFICIARY_REACHED, else 0; signed. */
  quantity: number;
  /** For BENEFICIARY_REACHED only: who was reached (to count distinct people, never to publish). */
  pseudonym: string | null;
  /** For a reversal's facts: the entry reversed. */
  reversedSequence: number | null;
}

/** What facts need to know of a project: its category and region. */
export interface FactProject {
  category: string;
  region: Region;
}

/** The project as the books held it right after the entry (see `projectsOf`). */
export type ProjectLookup = (projectId: string) => FactProject | undefined;

/** The books' own projects: the lookup to use when entries are applied one at a time. */
export function projectsOf(books: Books): ProjectLookup {
  return (projectId) => books.projects.get(projectId);
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Calendar date of an instant in China Standard Time (UTC+8, no daylight saving since 1991). */
export function chinaDateOf(instant: string): string {
  const time = Date.parse(instant);
  if (Number.isNaN(time)) throw new Error(`not an instant: ${instant}`);
  return new Date(time + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** One entry as facts see it: its effects on the books, its payload, and the books. */
export interface FactSource {
  /** The books right after the entry, or after the batch that holds it (see docs/figures.md). */
  books: Books;
  effects: EntryEffects;
  /** The entry's own payload (a gift's restriction at receipt). */
  payload: Record<string, unknown>;
  project: ProjectLookup;
}

/**
 * The facts of one entry. Only what never changes once written is read from the
 * books (lots' amounts and costs, the effects of entries), so the books after the
 * entry's batch serve as well as the books right after it. A reversal yields the
 * reversed entry's facts negated, dated by the reversal.
 */
export function entryFacts({ books, effects, payload, project }: FactSource): LedgerFact[] {
  if (effects.reverses !== null) {
    const reversed = books.effects.get(effects.reverses);
    if (!reversed) throw new Error(`books hold no entry ${effects.reverses} to reverse`);
    const date = chinaDateOf(effects.occurredAt);
    // a reversed gift's lot still carries its restriction at receipt: leftovers
    // cannot have moved it while the gift stood (the move would block the reversal)
    return originalFacts(books, reversed, null, project).map((fact) => ({
      ...fact,
      sequence: effects.sequence,
      entryType: effects.type,
      occurredOn: date,
      amount: 0 - fact.amount,
      quantity: 0 - fact.quantity,
      reversedSequence: reversed.sequence,
    }));
  }
  return originalFacts(books, effects, payload, project);
}

function originalFacts(books: Books, effects: EntryEffects, payload: Record<string, unknown> | null, project: ProjectLookup): LedgerFact[] {
  const facts: LedgerFact[] = [];
  const occurredOn = chinaDateOf(effects.occurredAt);
  const fact = (projectId: string | null, region: Region | null, measure: FactMeasure, amount: number, extra: Partial<LedgerFact> = {}): void => {
    // undefined only for a gift in kind whose project's opening was reversed under it
    // (the books allow that): its facts keep the project id, without category or region
    const known = projectId === null ? undefined : project(projectId);
    const where = region ?? known?.region ?? null;
    facts.push({
      sequence: effects.sequence,
      entryType: effects.type,
      occurredOn,
      projectId,
      projectCategory: known?.category ?? null,
      districtCode: where?.district ?? null,
      streetCode: where?.street ?? null,
      measure,
      costClass: null,
      itemCode: null,
      amount,
      quantity: 0,
      pseudonym: null,
      reversedSequence: null,
      ...extra,
    });
  };
  const drawn = effects.moneyDraws.reduce((sum, draw) => sum + draw.amount, 0);
  switch (effects.type) {
    case 'CASH_DONATION': {
      const lot = books.moneyLots.get(effects.sequence)!;
      fact(restrictedTo((payload?.restriction as Restriction | undefined) ?? lot.restriction), null, 'RECEIVED_CASH', lot.amount);
      break;
    }
    case 'IN_KIND_DONATION': {
      const lots = effects.lotsCreated.map((lotId) => books.goodsLots.get(lotId)!);
      const restriction = (payload?.restriction as Restriction | undefined) ?? lots[0].restriction;
      fact(restrictedTo(restriction), null, 'RECEIVED_IN_KIND', lots.reduce((sum, lot) => sum + lot.cost, 0));
      break;
    }
    case 'DONATION_REFUNDED':
      fact(effects.projectId, null, 'REFUNDED', drawn);
      break;
    case 'EXPENSE_RECORDED':
      fact(effects.projectId, null, 'SPENT', drawn, { costClass: effects.costClass });
      break;
    case 'DISBURSEMENT_RECORDED': {
      // the beneficiary's region is the disbursement's own
      const region = effects.beneficiaryRegion;
      if (drawn > 0) fact(effects.projectId, region, 'SPENT', drawn, { costClass: 'CHARITABLE_ACTIVITY' });
      const byItem = new Map<string, { units: number; value: number }>();
      for (const draw of effects.goodsDraws) {
        const lot = books.goodsLots.get(draw.lotId)!;
        const item = byItem.get(draw.itemCode) ?? { units: 0, value: 0 };
        item.units += draw.units;
        item.value += goodsValue(lot, draw.units);
        byItem.set(draw.itemCode, item);
      }
      for (const [itemCode, { units, value }] of byItem) {
        fact(effects.projectId, region, 'SPENT', value, { costClass: 'CHARITABLE_ACTIVITY', itemCode });
        fact(effects.projectId, region, 'GOODS_DISBURSED', value, { itemCode, quantity: units });
      }
      fact(effects.projectId, region, 'BENEFICIARY_REACHED', 0, { quantity: 1, pseudonym: effects.beneficiary });
      break;
    }
    default:
      // openings, closings (a transfer of leftovers is not spending), purchases (money
      // becomes goods: spent when the goods reach people), selections, reports
      break;
  }
  return facts;
}

/** A gift restricted to a project counts for that project; others for the charity. */
function restrictedTo(restriction: Restriction): string | null {
  return restriction.kind === 'PROJECT' ? restriction.projectId : null;
}

/** Facts of a whole chain, entry by entry in sequence order: what a verifier recomputes. */
export function ledgerFacts(books: Books, entries: Iterable<{ sequence: number; type: string; occurredAt: string; payload: Record<string, unknown> }>): LedgerFact[] {
  const facts: LedgerFact[] = [];
  const lookup = projectsOf(books);
  for (const entry of entries) facts.push(...entryFacts({ books, effects: books.apply(entry), payload: entry.payload, project: lookup }));
  return facts;
}

/** One entry of a batch: its effects and payload. */
export interface BatchItem {
  effects: EntryEffects;
  payload: Record<string, unknown>;
}

/**
 * Facts of a batch of entries applied together, from the books after the batch
 * (how the service's projector sees them). Lots and effects never change once
 * written, but a project can: an opening reversed (and perhaps made again) within
 * the batch. So projects are followed through the batch, starting from the
 * openings that the batch reverses: `reversedOpenings` holds the payloads of the
 * PROJECT_OPENED entries before the batch that an entry of the batch reverses.
 * Gives the same facts as `entryFacts` entry by entry.
 */
export function batchFacts(books: Books, items: readonly BatchItem[], reversedOpenings: ReadonlyMap<number, Record<string, unknown>>): LedgerFact[][] {
  const state = new Map<string, FactProject | undefined>();
  for (const { effects } of items) {
    const opening = openingEvent(books, effects);
    if (!opening || state.has(opening.projectId)) continue;
    // the project as it stood before the batch
    state.set(opening.projectId, opening.opens ? undefined : projectFromPayload(reversedOpenings.get(opening.sequence)));
  }
  const lookup: ProjectLookup = (projectId) => (state.has(projectId) ? state.get(projectId) : books.projects.get(projectId));
  return items.map(({ effects, payload }) => {
    const opening = openingEvent(books, effects);
    if (opening) state.set(opening.projectId, opening.opens ? projectFromPayload(payload) : undefined);
    return entryFacts({ books, effects, payload, project: lookup });
  });
}

/** The sequences of PROJECT_OPENED entries before `firstSequence` that the batch reverses. */
export function openingsReversedBy(books: Books, items: readonly BatchItem[], firstSequence: number): number[] {
  return items
    .map(({ effects }) => openingEvent(books, effects))
    .filter((event): event is OpeningEvent => event !== null && !event.opens && event.sequence < firstSequence)
    .map((event) => event.sequence);
}

interface OpeningEvent {
  projectId: string;
  opens: boolean;
  /** The opening entry. */
  sequence: number;
}

/** A project opened, or an opening reversed. */
function openingEvent(books: Books, effects: EntryEffects): OpeningEvent | null {
  if (effects.type === 'PROJECT_OPENED') return { projectId: effects.projectId!, opens: true, sequence: effects.sequence };
  if (effects.reverses === null) return null;
  const reversed = books.effects.get(effects.reverses);
  if (reversed?.type !== 'PROJECT_OPENED') return null;
  return { projectId: reversed.projectId!, opens: false, sequence: reversed.sequence };
}

function projectFromPayload(payload: Record<string, unknown> | undefined): FactProject | undefined {
  if (!payload) return undefined;
  return { category: payload.category as string, region: payload.region as Region };
}

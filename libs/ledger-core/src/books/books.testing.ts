import { Books, type BookEntry } from './books.js';
import { BooksError } from './books.types.js';

/** A small deterministic generator (mulberry32), so a failing seed can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomCommand {
  type: string;
  payload: Record<string, unknown>;
}

const ITEMS = ['WHEELCHAIR', 'RICE-5KG', 'HEARING-AID'];

/**
 * Random commands a charity might send, valid in shape but not necessarily
 * acceptable to the books (spending beyond funds, closed projects …).
 */
export function randomCommand(random: () => number, books: Books): RandomCommand {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const amount = (max: number) => ({ currency: 'CNY', minorUnits: 1 + Math.floor(random() * max) });
  const projects = [...books.projects.keys()];
  const openProjects = [...books.projects.values()].filter((project) => project.status === 'OPEN').map((project) => project.projectId);
  const projectId = () => (projects.length > 0 && random() < 0.9 ? pick(projects) : `P${Math.floor(random() * 6)}`);
  const restriction = () => {
    const roll = random();
    if (roll < 0.45 && openProjects.length > 0) return { kind: 'PROJECT', projectId: pick(openProjects) };
    if (roll < 0.55) return { kind: 'PURPOSE', purpose: 'school meals' };
    return { kind: 'UNRESTRICTED' };
  };
  const gifts = [...books.moneyLots.keys()];
  const region = () => ({ code: pick(['440304', '440305', '440306']) });
  const roll = random();
  if (roll < 0.08 || projects.length === 0) {
    return {
      type: 'PROJECT_OPENED',
      payload: {
        projectId: `P${projects.length}`,
        title: 't',
        purpose: 'p',
        category: 'OTHER',
        region: region(),
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        budget: amount(1_000_000),
        publicFundraising: random() < 0.5,
      },
    };
  }
  if (roll < 0.3) return { type: 'CASH_DONATION', payload: { amount: amount(50_000), restriction: restriction() } };
  if (roll < 0.38) {
    return {
      type: 'IN_KIND_DONATION',
      payload: {
        items: [{ itemCode: pick(ITEMS), quantity: 1 + Math.floor(random() * 20), unit: 'piece' }],
        valuation: { basis: 'MARKET_PRICE', fairValue: amount(100_000) },
        restriction: restriction(),
      },
    };
  }
  if (roll < 0.5) {
    const lines = Array.from({ length: 1 + Math.floor(random() * 2) }, () => {
      const quantity = 1 + Math.floor(random() * 5);
      const unitPrice = amount(3_000);
      return { itemCode: pick(ITEMS), unit: 'piece', quantity, unitPrice, amount: { currency: 'CNY', minorUnits: quantity * unitPrice.minorUnits } };
    });
    const total = lines.reduce((sum, line) => sum + line.amount.minorUnits, 0);
    const funding = random() < 0.2 && gifts.length > 0 ? [{ donationSequence: pick(gifts), amount: { currency: 'CNY', minorUnits: total } }] : undefined;
    return { type: 'PROCUREMENT_RECORDED', payload: { projectId: projectId(), lines, total: { currency: 'CNY', minorUnits: total }, ...(funding ? { funding } : {}) } };
  }
  if (roll < 0.58) {
    return {
      type: 'EXPENSE_RECORDED',
      payload: { projectId: random() < 0.7 ? projectId() : null, costClass: pick(['CHARITABLE_ACTIVITY', 'MANAGEMENT', 'FUNDRAISING']), amount: amount(20_000) },
    };
  }
  if (roll < 0.66) {
    const count = 1 + Math.floor(random() * 3);
    return {
      type: 'BENEFICIARIES_SELECTED',
      payload: {
        projectId: projectId(),
        beneficiaries: Array.from({ length: count }, () => ({ pseudonym: `ps-${Math.floor(random() * 12)}`, commitment: 'c'.repeat(64), region: region() })),
      },
    };
  }
  if (roll < 0.82) {
    const project = projectId();
    const selected = [...(books.selections.get(project)?.keys() ?? [])];
    const payload: Record<string, unknown> = { projectId: project, beneficiary: selected.length > 0 ? pick(selected) : 'ps-none' };
    if (random() < 0.5) payload.cash = amount(5_000);
    if (!payload.cash || random() < 0.5) payload.goods = [{ itemCode: pick(ITEMS), quantity: 1 + Math.floor(random() * 4) }];
    return { type: 'DISBURSEMENT_RECORDED', payload };
  }
  if (roll < 0.86 && gifts.length > 0) {
    return { type: 'DONATION_REFUNDED', payload: { donationSequence: pick(gifts), amount: amount(20_000), reason: 'r' } };
  }
  if (roll < 0.95 && books.headSequence > 0) {
    return { type: 'ENTRY_REVERSED', payload: { reversedSequence: 1 + Math.floor(random() * books.headSequence), reason: 'r' } };
  }
  const target = openProjects.length > 1 ? pick(openProjects) : undefined;
  return {
    type: 'PROJECT_CLOSED',
    payload: {
      projectId: projectId(),
      leftover: target && random() < 0.7 ? { handling: 'TRANSFER_TO_PROJECT', targetProjectId: target, explanation: 'e' } : { handling: 'NONE', explanation: 'e' },
    },
  };
}

/** A random ledger of `length` entries that the books accept, built by trying random commands. */
export function randomLedger(seed: number, length: number): BookEntry[] {
  const random = seededRandom(seed);
  const books = new Books('CNY');
  const entries: BookEntry[] = [];
  let attempts = 0;
  while (entries.length < length && attempts < length * 20) {
    attempts += 1;
    const command = randomCommand(random, books);
    const entry: BookEntry = {
      sequence: entries.length + 1,
      type: command.type,
      occurredAt: new Date(Date.UTC(2026, 0, 1) + entries.length * 3_600_000).toISOString(),
      payload: command.payload,
    };
    try {
      books.commit(entry, books.plan(entry));
      entries.push(entry);
    } catch (error) {
      if (!(error instanceof BooksError)) throw error;
    }
  }
  return entries;
}

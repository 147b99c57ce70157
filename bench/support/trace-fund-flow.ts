import { createHash } from 'node:crypto';
import { SHENZHEN_REGIONS } from '../../apps/api/src/regions/regions.js';
import { RequestFailed, type GraphQLClient } from './graphql-client.js';
import type { BenchCharity } from './ledger-api.js';
import type { SeededRandom } from './trace-random.js';

/**
 * The fund flow of one charity as `bench:trace` drives it through the service's
 * own GraphQL mutations: projects, gifts of money in batches of up to 1,000, gifts
 * in kind, procurements, beneficiary selections, goods and cash disbursements,
 * expenses and a few reversals. It keeps its own rough copy of the books (money
 * per project and in the pool, goods in stock, selected beneficiaries) so that
 * spending stays within what the charity has; the service's own books decide.
 */

const ENTRY = 'sequence';

export const RECORD_GIFTS = `
  mutation TraceBenchGifts($inputs: [RecordDonationInput!]!) { recordDonations(inputs: $inputs) { ${ENTRY} receiptCode } }`;
const RECORD_IN_KIND = `
  mutation TraceBenchInKind($input: RecordInKindDonationInput!) { recordInKindDonation(input: $input) { ${ENTRY} receiptCode } }`;
const OPEN_PROJECT = `mutation TraceBenchOpen($input: OpenProjectInput!) { openProject(input: $input) { ${ENTRY} } }`;
const PROCURE = `mutation TraceBenchProcure($input: RecordProcurementInput!) { recordProcurement(input: $input) { ${ENTRY} } }`;
const SELECT = `mutation TraceBenchSelect($input: SelectBeneficiariesInput!) { selectBeneficiaries(input: $input) { ${ENTRY} } }`;
const DISBURSE = `mutation TraceBenchDisburse($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { ${ENTRY} } }`;
const EXPENSE = `mutation TraceBenchExpense($input: RecordExpenseInput!) { recordExpense(input: $input) { ${ENTRY} } }`;
const REVERSE = `mutation TraceBenchReverse($input: ReverseEntryInput!) { reverseEntry(input: $input) { ${ENTRY} } }`;

/** What a donor asks for with a receipt code: the fields of the fund-flow end-to-end test. */
export const TRACE_DONATION = `
  query TraceBenchTrace($code: String!) { traceDonation(receiptCode: $code) {
    charityName sequence kind amount { amount currency } restriction { kind projectId } reversed
    uses { sequence type amount { amount } projectId costClass reversed }
    goods { lotId source itemCode unit units amount { amount } deliveredUnits inStockUnits reversed }
    deliveries { sequence itemCode units regionCode district street date reversed }
    attributed { amount } refunded { amount } unspent { amount } } }`;

export interface DonationTraceAnswer {
  sequence: number;
  kind: 'CASH' | 'IN_KIND';
  amount: { amount: string };
  uses: unknown[];
  goods: unknown[];
  deliveries: unknown[];
  attributed: { amount: string };
  refunded: { amount: string };
  unspent: { amount: string };
}

/** A gift whose receipt code the bench kept (the service shows a code only once). */
export interface KeptReceipt {
  code: string;
  charity: number;
  sequence: number;
  kind: 'CASH' | 'IN_KIND';
}

/** A uniform random sample of every receipt issued during the load (reservoir sampling). */
export class ReceiptSample {
  readonly kept: KeptReceipt[] = [];
  seen = 0;

  constructor(
    private readonly size: number,
    private readonly random: SeededRandom,
  ) {}

  offer(receipt: KeptReceipt): void {
    this.seen += 1;
    if (this.kept.length < this.size) this.kept.push(receipt);
    else {
      const slot = Math.floor(this.random.next() * this.seen);
      if (slot < this.size) this.kept[slot] = receipt;
    }
  }
}

interface Item {
  itemCode: string;
  description: string;
  unit: string;
  /** fen */
  unitPrice: number;
  /** most units one beneficiary receives at a time */
  perDelivery: number;
}

const ITEMS: Record<string, Item> = {
  WHEELCHAIR: { itemCode: 'WHEELCHAIR-STD', description: 'Manual wheelchair', unit: 'piece', unitPrice: 80_000, perDelivery: 1 },
  HEARING_AID: { itemCode: 'HEARING-AID', description: 'Behind-the-ear hearing aid', unit: 'piece', unitPrice: 150_000, perDelivery: 1 },
  MEDICINE_KIT: { itemCode: 'MEDICINE-KIT', description: 'Chronic illness medicine kit', unit: 'kit', unitPrice: 30_000, perDelivery: 3 },
  CARE_KIT: { itemCode: 'ELDER-CARE-KIT', description: 'Home care kit for the elderly', unit: 'kit', unitPrice: 25_000, perDelivery: 2 },
  SCHOOL_KIT: { itemCode: 'SCHOOL-KIT', description: 'School bag with stationery', unit: 'set', unitPrice: 12_000, perDelivery: 3 },
  FOOD_PARCEL: { itemCode: 'FOOD-PARCEL', description: 'Monthly food parcel', unit: 'parcel', unitPrice: 15_000, perDelivery: 6 },
  BLANKET: { itemCode: 'BLANKET', description: 'Cotton quilt', unit: 'piece', unitPrice: 6_000, perDelivery: 4 },
  BOOK_SET: { itemCode: 'BOOK-SET', description: 'Children’s book set', unit: 'set', unitPrice: 8_000, perDelivery: 2 },
  WINTER_COAT: { itemCode: 'WINTER-COAT', description: 'Padded winter coat', unit: 'piece', unitPrice: 15_000, perDelivery: 2 },
  RICE: { itemCode: 'RICE-10KG', description: 'Rice, 10 kg bag', unit: 'bag', unitPrice: 6_500, perDelivery: 4 },
};
const BY_CODE = new Map(Object.values(ITEMS).map((item) => [item.itemCode, item]));

/** Project kinds: what each buys. */
const PROJECT_KINDS = [
  { category: 'MEDICAL_AID', title: '大病救助', purpose: 'Medical aid for low-income patients', items: [ITEMS.MEDICINE_KIT, ITEMS.HEARING_AID] },
  { category: 'DISABILITY_SUPPORT', title: '轮椅进社区', purpose: 'Wheelchairs for residents with limited mobility', items: [ITEMS.WHEELCHAIR] },
  { category: 'ELDERLY_CARE', title: '长者关爱', purpose: 'Home care for elderly people living alone', items: [ITEMS.CARE_KIT, ITEMS.BLANKET] },
  { category: 'CHILD_WELFARE', title: '困境儿童助学', purpose: 'School supplies for children in difficulty', items: [ITEMS.SCHOOL_KIT, ITEMS.BOOK_SET] },
  { category: 'POVERTY_RELIEF', title: '社区食物银行', purpose: 'Food parcels for low-income households', items: [ITEMS.FOOD_PARCEL, ITEMS.RICE] },
  { category: 'DISASTER_RELIEF', title: '台风应急', purpose: 'Emergency relief after typhoons', items: [ITEMS.BLANKET, ITEMS.FOOD_PARCEL] },
  { category: 'EDUCATION', title: '乡村图书角', purpose: 'Reading corners in community centres', items: [ITEMS.BOOK_SET, ITEMS.SCHOOL_KIT] },
  { category: 'ELDERLY_CARE', title: '冬日暖心', purpose: 'Winter clothing for elderly people', items: [ITEMS.WINTER_COAT, ITEMS.BLANKET] },
] as const;
const IN_KIND_ITEMS = [ITEMS.BLANKET, ITEMS.WINTER_COAT, ITEMS.RICE, ITEMS.BOOK_SET];

const STREETS = SHENZHEN_REGIONS.filter((region) => region.level === 'STREET').map((region) => region.code);
const DISTRICTS = SHENZHEN_REGIONS.filter((region) => region.level === 'DISTRICT').map((region) => region.code);
const CHANNELS = ['ONLINE_PLATFORM', 'WECHAT_PAY', 'ALIPAY', 'BANK_TRANSFER', 'CASH', 'CHEQUE'] as const;
const PRIVATE_DONORS = ['张三', '李四', '王五', '赵敏', '陈晓红', '刘洋', '黄志强', '周婷'];
const PUBLIC_DONORS = ['深圳某科技有限公司', '南山区某商会', '福田区某律师事务所', '某爱心车队'];
const SUPPLIER = { name: '深圳康复器材有限公司', creditCode: '91350100M000100Y43' };

/** Spending per round, that is per batch of 1,000 gifts (sized against the money of the charity's latest batch). */
const PER_ROUND = {
  inKindGifts: 1,
  procurements: 2,
  goodsDisbursements: 20,
  cashDisbursements: 8,
  selectionChance: 0.3,
  reversalEveryRounds: 10,
};
const PROJECTS_PER_CHARITY = 8;
const BATCH_SIZE = 1_000;
/** entries two concurrent rounds of spending add at most (about 33 each on average): the load ends on the exact count */
const ROUND_MARGIN = 100;
const FIRST_SELECTION = 40;
/** Share of gifts restricted to a project; the rest join the unrestricted pool. */
const RESTRICTED_SHARE = 0.5;

export interface FlowCounters {
  gifts: number;
  restrictedGifts: number;
  giftsFen: number;
  inKindGifts: number;
  projects: number;
  selections: number;
  beneficiaries: number;
  procurements: number;
  procuredFen: number;
  goodsDisbursements: number;
  cashDisbursements: number;
  disbursedFen: number;
  expenses: number;
  expensesFen: number;
  reversals: number;
  /** spending the service refused for lack of funds or goods (the bench's own books are only approximate) */
  refused: number;
  /** requests sent again with the same idempotency keys after a connection dropped without an answer */
  retried: number;
}

export function emptyCounters(): FlowCounters {
  return {
    gifts: 0,
    restrictedGifts: 0,
    giftsFen: 0,
    inKindGifts: 0,
    projects: 0,
    selections: 0,
    beneficiaries: 0,
    procurements: 0,
    procuredFen: 0,
    goodsDisbursements: 0,
    cashDisbursements: 0,
    disbursedFen: 0,
    expenses: 0,
    expensesFen: 0,
    reversals: 0,
    refused: 0,
    retried: 0,
  };
}

/** Latencies of the load's own requests, in ms. */
export interface LoadLatencies {
  batches: number[];
  singles: number[];
}

/** Money taken from a project's restricted gifts and from the pool, as the service's books draw it. */
interface Share {
  projectId: string | null;
  restricted: number;
  pool: number;
}

/** Goods taken: from the project's own lots first, then from unrestricted gifts in kind. */
interface GoodsTaken {
  projectId: string;
  itemCode: string;
  fromProject: number;
  fromPool: number;
}

interface Reversible {
  sequence: number;
  undo: () => void;
  label: string;
}

function amount(fen: number): string {
  return `${Math.floor(fen / 100)}.${(fen % 100).toString().padStart(2, '0')}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A date in China Standard Time, YYYY-MM-DD. */
function chinaDay(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A code the service refuses for lack of funds or goods: an expected outcome of approximate books. */
function refusedForLack(error: unknown): boolean {
  return error instanceof RequestFailed && /"code":"INSUFFICIENT_(FUNDS|GOODS)"/.test(error.detail);
}

export class CharityFlow {
  /** Entries the service acknowledged on this charity's chain. */
  entries = 0;
  private rounds = 0;
  readonly counters = emptyCounters();
  private readonly projectIds: string[] = [];
  private readonly kindOf = new Map<string, (typeof PROJECT_KINDS)[number]>();
  private readonly restricted = new Map<string, number>();
  private pool = 0;
  private readonly projectStock = new Map<string, Map<string, number>>();
  private readonly poolStock = new Map<string, number>();
  private readonly selected = new Map<string, string[]>();
  private nextPseudonym = 1;
  private keyCounter = 0;
  private lastIncome = 0;
  private stopped = false;

  constructor(
    private readonly client: GraphQLClient,
    readonly charity: BenchCharity,
    private readonly ordinal: number,
    private readonly runTag: string,
    private readonly random: SeededRandom,
    private readonly receipts: ReceiptSample,
    private readonly latencies: LoadLatencies,
    /** simulated time of the history at the current progress: gifts and spending spread over a year */
    private readonly clock: () => Date,
    private readonly onEntries: (count: number) => void,
  ) {}

  /** Opens the projects and selects their first beneficiaries. */
  async setup(): Promise<void> {
    for (let index = 0; index < PROJECTS_PER_CHARITY; index++) {
      const kind = PROJECT_KINDS[index % PROJECT_KINDS.length];
      const projectId = `P-${this.ordinal}-${(index + 1).toString().padStart(2, '0')}`;
      await this.single('openProject', OPEN_PROJECT, {
        projectId,
        title: kind.title,
        purpose: kind.purpose,
        category: kind.category,
        region: { code: this.random.pick(DISTRICTS) },
        startDate: chinaDay(this.clock()),
        endDate: '2027-12-31',
        budget: amount(this.random.int(500, 5_000) * 1_000_00),
        currency: 'CNY',
        publicFundraising: true,
      });
      this.counters.projects += 1;
      this.projectIds.push(projectId);
      this.kindOf.set(projectId, kind);
      this.restricted.set(projectId, 0);
      this.projectStock.set(projectId, new Map());
      this.selected.set(projectId, []);
    }
    await Promise.all(this.projectIds.map((projectId) => this.select(projectId, FIRST_SELECTION)));
  }

  /**
   * Appends until the chain holds exactly `quota` entries. Each of `callers`
   * concurrent callers sends rounds: a batch of gifts and, beside it, spending
   * sized on the money the charity's latest batch brought in (every tenth round
   * also reverses one of its disbursements). The last entries are gifts, as many
   * as are missing.
   */
  async run(quota: number, callers: number): Promise<void> {
    let inFlight = 0;
    const room = () => quota - this.entries - inFlight;
    const caller = async () => {
      while (!this.stopped && room() > BATCH_SIZE + ROUND_MARGIN) {
        inFlight += BATCH_SIZE;
        try {
          await Promise.all([this.giftBatch(BATCH_SIZE), this.spendRound()]);
        } finally {
          inFlight -= BATCH_SIZE;
        }
      }
    };
    await Promise.all(Array.from({ length: callers }, caller));
    if (this.stopped) return;
    if (room() > ROUND_MARGIN) await this.spendRound();
    while (!this.stopped && room() > 0) await this.giftBatch(Math.min(BATCH_SIZE, room()));
  }

  /** Stops sending after the requests in flight (when another part of the run failed). */
  stop(): void {
    this.stopped = true;
  }

  private async spendRound(): Promise<void> {
    this.rounds += 1;
    const reversible: Reversible[] = [];
    await this.spend(reversible);
    if (this.rounds % PER_ROUND.reversalEveryRounds === 0 && reversible.length > 0) await this.reverse(this.random.pick(reversible));
  }

  private key(label: string): string {
    this.keyCounter += 1;
    return `trace-${this.runTag}-c${this.ordinal}-${label}-${this.keyCounter}`;
  }

  /**
   * A request, sent again (same idempotency keys) when the connection dropped
   * without an answer, as docs/api.md tells clients to do: the service then
   * answers with the original entries (without their receipt codes, shown once).
   * Such drops probably come from the service closing a keep-alive connection
   * that has been idle for 5 s just as a new request goes out on it.
   */
  private async request<Data>(operation: string, document: string, variables: Record<string, unknown>): Promise<{ data: Data; latencyMs: number }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.client.request<Data>(operation, document, variables, this.charity.apiKey);
      } catch (error) {
        if (attempt >= 3 || !(error instanceof RequestFailed) || !error.detail.startsWith('no HTTP answer')) throw error;
        this.counters.retried += 1;
      }
    }
  }

  /** One single-entry mutation; undefined when the service refused it for lack of funds or goods. */
  private async single(operation: string, document: string, input: Record<string, unknown>): Promise<{ sequence: number; receiptCode?: string | null } | undefined> {
    try {
      const { data, latencyMs } = await this.request<Record<string, { sequence: number; receiptCode?: string | null }>>(operation, document, {
        input: { charityId: this.charity.id, idempotencyKey: this.key(operation), ...input },
      });
      this.latencies.singles.push(latencyMs);
      this.entries += 1;
      this.onEntries(1);
      return data[operation];
    } catch (error) {
      if (refusedForLack(error)) {
        this.counters.refused += 1;
        return undefined;
      }
      throw error;
    }
  }

  private async giftBatch(count: number): Promise<void> {
    const receivedAt = this.clock();
    const gifts = Array.from({ length: count }, (_, index) => {
      const fen = this.giftAmount();
      const projectId = this.random.chance(RESTRICTED_SHARE) ? this.random.pick(this.projectIds) : null;
      const published = this.random.chance(0.2);
      return {
        fen,
        projectId,
        input: {
          charityId: this.charity.id,
          idempotencyKey: this.key('gift'),
          amount: amount(fen),
          currency: 'CNY',
          donor: published
            ? { name: this.random.pick(PUBLIC_DONORS), publishName: true, type: 'ORGANISATION' }
            : { name: this.random.pick(PRIVATE_DONORS), publishName: false },
          channel: this.random.pick(CHANNELS),
          ...(projectId ? { restriction: { kind: 'PROJECT', projectId } } : {}),
          receivedAt: new Date(receivedAt.getTime() + index * 1_000).toISOString(),
          handler: '王会计',
        },
      };
    });
    const { data, latencyMs } = await this.request<{ recordDonations: Array<{ sequence: number; receiptCode: string | null }> }>('recordDonations', RECORD_GIFTS, {
      inputs: gifts.map((gift) => gift.input),
    });
    if (data.recordDonations.length !== count) throw new Error(`recordDonations answered ${data.recordDonations.length} entries for ${count} gifts`);
    this.latencies.batches.push(latencyMs);
    let income = 0;
    data.recordDonations.forEach((entry, index) => {
      const { fen, projectId } = gifts[index];
      income += fen;
      if (projectId) {
        this.restricted.set(projectId, this.restricted.get(projectId)! + fen);
        this.counters.restrictedGifts += 1;
      } else this.pool += fen;
      if (entry.receiptCode) this.receipts.offer({ code: entry.receiptCode, charity: this.ordinal, sequence: entry.sequence, kind: 'CASH' });
    });
    this.counters.gifts += count;
    this.counters.giftsFen += income;
    // spending of the next round is sized on a full round's income
    this.lastIncome = (income * 1_000) / count;
    this.entries += count;
    this.onEntries(count);
  }

  /** Many small online gifts, some larger transfers, a few large gifts: about ¥500 on average. */
  private giftAmount(): number {
    const draw = this.random.next();
    if (draw < 0.6) return this.random.int(10, 100) * 100;
    if (draw < 0.95) return this.random.int(100, 1_000) * 100 + (this.random.chance(0.3) ? this.random.int(1, 99) : 0);
    return this.random.int(10, 100) * 100_00;
  }

  private async spend(reversible: Reversible[]): Promise<void> {
    const income = this.lastIncome;
    const work: Array<Promise<unknown>> = [];
    for (let index = 0; index < PER_ROUND.inKindGifts; index++) work.push(this.inKindGift());
    if (this.random.chance(PER_ROUND.selectionChance)) work.push(this.select(this.random.pick(this.projectIds), this.random.int(10, 30)));
    if (income > 0) {
      for (let index = 0; index < PER_ROUND.procurements; index++) work.push(this.procure(Math.round(income * this.random.between(0.06, 0.12))));
      for (let index = 0; index < PER_ROUND.cashDisbursements; index++) {
        work.push(this.disburseCash(Math.round((income * this.random.between(0.02, 0.06)) / 100) * 100, reversible));
      }
      work.push(this.expense(null, 'MANAGEMENT', Math.round(income * this.random.between(0.02, 0.04))));
      work.push(this.expense(this.random.pick(this.projectIds), 'CHARITABLE_ACTIVITY', Math.round(income * this.random.between(0.01, 0.03))));
    }
    for (let index = 0; index < PER_ROUND.goodsDisbursements; index++) work.push(this.disburseGoods(reversible));
    await Promise.all(work);
  }

  // ---- the bench's approximate books ---------------------------------------------

  private reserve(projectId: string | null, fen: number): Share | undefined {
    const restricted = projectId ? Math.min(this.restricted.get(projectId)!, fen) : 0;
    const pool = fen - restricted;
    if (fen <= 0 || pool > this.pool) return undefined;
    if (projectId) this.restricted.set(projectId, this.restricted.get(projectId)! - restricted);
    this.pool -= pool;
    return { projectId, restricted, pool };
  }

  private release(share: Share): void {
    if (share.projectId) this.restricted.set(share.projectId, this.restricted.get(share.projectId)! + share.restricted);
    this.pool += share.pool;
  }

  private takeGoods(projectId: string, item: Item, units: number): GoodsTaken {
    const stock = this.projectStock.get(projectId)!;
    const fromProject = Math.min(stock.get(item.itemCode) ?? 0, units);
    const fromPool = units - fromProject;
    stock.set(item.itemCode, (stock.get(item.itemCode) ?? 0) - fromProject);
    this.poolStock.set(item.itemCode, (this.poolStock.get(item.itemCode) ?? 0) - fromPool);
    return { projectId, itemCode: item.itemCode, fromProject, fromPool };
  }

  private returnGoods(taken: GoodsTaken): void {
    const stock = this.projectStock.get(taken.projectId)!;
    stock.set(taken.itemCode, (stock.get(taken.itemCode) ?? 0) + taken.fromProject);
    this.poolStock.set(taken.itemCode, (this.poolStock.get(taken.itemCode) ?? 0) + taken.fromPool);
  }

  /** A project with selected beneficiaries, or undefined. */
  private projectWithBeneficiaries(): string | undefined {
    const candidates = this.projectIds.filter((projectId) => this.selected.get(projectId)!.length > 0);
    return candidates.length > 0 ? this.random.pick(candidates) : undefined;
  }

  // ---- entries --------------------------------------------------------------------

  private async select(projectId: string, count: number): Promise<void> {
    const beneficiaries = Array.from({ length: count }, () => {
      const pseudonym = `ps-${(this.ordinal * 0x1000000 + this.nextPseudonym++).toString(16).padStart(8, '0')}`;
      return { pseudonym, commitment: sha256(`${this.runTag}/${pseudonym}`), region: { code: this.random.pick(STREETS) } };
    });
    const entry = await this.single('selectBeneficiaries', SELECT, {
      projectId,
      criteria: { text: `Residents meeting the published criteria of ${projectId}`, version: '2026-1' },
      decisionBody: 'Project committee',
      decidedOn: chinaDay(this.clock()),
      beneficiaries,
    });
    if (!entry) return;
    this.selected.get(projectId)!.push(...beneficiaries.map((beneficiary) => beneficiary.pseudonym));
    this.counters.selections += 1;
    this.counters.beneficiaries += count;
  }

  private async inKindGift(): Promise<void> {
    const item = this.random.pick(IN_KIND_ITEMS);
    const quantity = this.random.int(20, 200);
    const projectId = this.random.chance(0.5) ? this.random.pick(this.projectIds) : null;
    const entry = await this.single('recordInKindDonation', RECORD_IN_KIND, {
      items: [{ itemCode: item.itemCode, description: item.description, quantity, unit: item.unit }],
      valuationBasis: 'INVOICE',
      fairValue: amount(quantity * item.unitPrice),
      currency: 'CNY',
      condition: 'NEW',
      donor: { name: this.random.pick(PUBLIC_DONORS), publishName: true, type: 'ORGANISATION' },
      ...(projectId ? { restriction: { kind: 'PROJECT', projectId } } : {}),
      receivedAt: this.clock().toISOString(),
      handler: '王会计',
    });
    if (!entry) return;
    if (projectId) {
      const stock = this.projectStock.get(projectId)!;
      stock.set(item.itemCode, (stock.get(item.itemCode) ?? 0) + quantity);
    } else this.poolStock.set(item.itemCode, (this.poolStock.get(item.itemCode) ?? 0) + quantity);
    this.counters.inKindGifts += 1;
    if (entry.receiptCode) this.receipts.offer({ code: entry.receiptCode, charity: this.ordinal, sequence: entry.sequence, kind: 'IN_KIND' });
  }

  /** Goods for a project, paid first from its restricted gifts, then from the pool, first in first out. */
  private async procure(budget: number): Promise<void> {
    const projectId = this.random.pick(this.projectIds);
    const kind = this.kindOf.get(projectId)!;
    const items = this.random.sample(kind.items, this.random.int(1, kind.items.length));
    const lines = items
      .map((item) => ({ item, quantity: Math.floor(budget / items.length / item.unitPrice) }))
      .filter((line) => line.quantity > 0);
    if (lines.length === 0) return;
    const total = lines.reduce((sum, line) => sum + line.quantity * line.item.unitPrice, 0);
    const share = this.reserve(projectId, total);
    if (!share) return;
    const entry = await this.single('recordProcurement', PROCURE, {
      projectId,
      supplier: SUPPLIER,
      lines: lines.map(({ item, quantity }) => ({
        description: item.description,
        itemCode: item.itemCode,
        quantity,
        unit: item.unit,
        unitPrice: amount(item.unitPrice),
      })),
      total: amount(total),
      currency: 'CNY',
      invoice: { sha256: sha256(`${this.runTag}/invoice/${this.keyCounter}`), uri: `https://example.org/invoices/${this.ordinal}/${this.keyCounter}.pdf` },
      purchasedAt: this.clock().toISOString(),
    });
    if (!entry) {
      this.release(share);
      return;
    }
    const stock = this.projectStock.get(projectId)!;
    for (const { item, quantity } of lines) stock.set(item.itemCode, (stock.get(item.itemCode) ?? 0) + quantity);
    this.counters.procurements += 1;
    this.counters.procuredFen += total;
  }

  private async disburseGoods(reversible: Reversible[]): Promise<void> {
    const projectId = this.projectWithBeneficiaries();
    if (!projectId) return;
    const stock = this.projectStock.get(projectId)!;
    const inStock = [...BY_CODE.values()].filter((item) => (stock.get(item.itemCode) ?? 0) + (this.poolStock.get(item.itemCode) ?? 0) > 0);
    if (inStock.length === 0) return;
    const item = this.random.pick(inStock);
    const units = Math.min(this.random.int(1, item.perDelivery), (stock.get(item.itemCode) ?? 0) + (this.poolStock.get(item.itemCode) ?? 0));
    const taken = this.takeGoods(projectId, item, units);
    // now and then some cash goes with the goods
    const cashFen = this.random.chance(0.1) ? this.random.int(2, 8) * 100_00 : 0;
    const share = cashFen > 0 ? this.reserve(projectId, cashFen) : undefined;
    const entry = await this.single('recordDisbursement', DISBURSE, {
      projectId,
      beneficiary: this.random.pick(this.selected.get(projectId)!),
      goods: [{ itemCode: item.itemCode, quantity: units }],
      ...(share ? { cash: amount(cashFen), currency: 'CNY' } : {}),
      method: 'DELIVERY',
      disbursedAt: this.clock().toISOString(),
      deliveryEvidenceSha256: sha256(`${this.runTag}/delivery/${this.keyCounter}`),
    });
    const undo = () => {
      this.returnGoods(taken);
      if (share) this.release(share);
    };
    if (!entry) {
      undo();
      return;
    }
    this.counters.goodsDisbursements += 1;
    if (share) this.counters.disbursedFen += cashFen;
    reversible.push({ sequence: entry.sequence, undo, label: `${units} ${item.itemCode} wrongly recorded as delivered` });
  }

  private async disburseCash(fen: number, reversible: Reversible[]): Promise<void> {
    const projectId = this.projectWithBeneficiaries();
    if (!projectId) return;
    const share = this.reserve(projectId, fen);
    if (!share) return;
    const entry = await this.single('recordDisbursement', DISBURSE, {
      projectId,
      beneficiary: this.random.pick(this.selected.get(projectId)!),
      cash: amount(fen),
      currency: 'CNY',
      method: this.random.pick(['BANK_TRANSFER', 'MOBILE_PAYMENT']),
      disbursedAt: this.clock().toISOString(),
      deliveryEvidenceSha256: sha256(`${this.runTag}/transfer/${this.keyCounter}`),
    });
    if (!entry) {
      this.release(share);
      return;
    }
    this.counters.cashDisbursements += 1;
    this.counters.disbursedFen += fen;
    reversible.push({ sequence: entry.sequence, undo: () => this.release(share), label: `grant of ${amount(fen)} CNY recorded twice` });
  }

  private async expense(projectId: string | null, costClass: string, fen: number): Promise<void> {
    const share = this.reserve(projectId, fen);
    if (!share) return;
    const entry = await this.single('recordExpense', EXPENSE, {
      ...(projectId ? { projectId } : {}),
      costClass,
      amount: amount(fen),
      currency: 'CNY',
      description: projectId ? 'Transport and distribution' : 'Office rent and staff',
      evidenceSha256: sha256(`${this.runTag}/expense/${this.keyCounter}`),
      incurredAt: this.clock().toISOString(),
    });
    if (!entry) {
      this.release(share);
      return;
    }
    this.counters.expenses += 1;
    this.counters.expensesFen += fen;
  }

  private async reverse(target: Reversible): Promise<void> {
    const entry = await this.single('reverseEntry', REVERSE, { sequence: target.sequence, reason: `更正：${target.label}` });
    if (!entry) return;
    target.undo();
    this.counters.reversals += 1;
  }
}

/**
 * Sets every charity's flow up, then runs them all at once, each to its quota of
 * entries. On a failure the other charities stop after their requests in flight (so
 * the service is not shut down under them), and the first failure is thrown.
 */
export async function runFlows(flows: readonly CharityFlow[], quotas: readonly number[], giftCallersPerCharity: number): Promise<void> {
  for (const flow of flows) await flow.setup();
  const outcomes = await Promise.allSettled(
    flows.map((flow, index) =>
      flow.run(quotas[index], giftCallersPerCharity).catch((error: unknown) => {
        for (const other of flows) other.stop();
        throw error;
      }),
    ),
  );
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}

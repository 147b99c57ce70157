import { createHash } from 'node:crypto';
import { COST_CLASSES, formatAmount, type CostClass } from '@charity-ledger/ledger-core';
import { CharityKind } from '../charities/charity.entity.js';
import { creditCodeCheckCharacter } from '../charities/unified-social-credit-code.js';
import { SHENZHEN_DISTRICTS } from '../regions/shenzhen-regions.js';
import { demoPerson, personReference } from './demo-beneficiaries.js';
import {
  CHANNEL_WEIGHTS,
  CHANNELS,
  CHARITY_TEMPLATES,
  MAJOR_ILLNESS,
  PLANTED_DUPLICATES,
  PRIVATE_DONORS,
  PUBLISHED_DONORS,
  type CashGrantPlan,
  type CharityTemplate,
  type DemoItem,
  type DemoSupplier,
  type NamedGift,
  type ProjectTemplate,
} from './demo-catalogue.js';
import { DemoRandom } from './demo-random.js';

/**
 * The demo dataset as a plan: for each charity, the GraphQL mutations that write
 * its 2024, in chain order, with their inputs (without the charity's id, which the
 * service assigns) and the sequence each entry will get. Pure and deterministic:
 * the same options give the same plan, entry for entry.
 *
 * The planner keeps its own copy of each charity's books (money per project and in
 * the pool, first in first out as the ledger draws it; goods in stock; who was
 * selected) so that every entry is one the service accepts; where a month's
 * spending would exceed what the charity holds, a board member's gift tops it up
 * first. The service's books have the last word: the runner stops at any refusal.
 */

export interface DemoOptions {
  seed: string;
  /** Copies of the six charities (1: the six; 40: 240 charities, about a million entries). */
  scale: number;
  /** Fraction of each charity's yearly volume (1: the full year; 0.05 for a quick run). */
  volume: number;
}

export type DemoOperation =
  | 'enrollBeneficiary'
  | 'uploadMedia'
  | 'publishProgressReport'
  | 'openProject'
  | 'closeProject'
  | 'recordDonations'
  | 'recordDonation'
  | 'recordInKindDonation'
  | 'recordProcurement'
  | 'recordExpense'
  | 'selectBeneficiaries'
  | 'recordDisbursement'
  | 'refundDonation'
  | 'reverseEntry';

export interface DemoStep {
  operation: DemoOperation;
  /**
   * One input, or the gifts of a `recordDonations` batch, or the people of an
   * enrollment; without `charityId`. A person stands as `person:<id>` where the
   * ledger takes a pseudonym or a commitment: the runner puts there what the
   * person's enrollment answered.
   */
  inputs: Array<Record<string, unknown>>;
  /** The sequence the (first) entry gets on the charity's chain. */
  firstSequence: number;
  /** Ledger entries the step writes: one per input, none for enrollments (they stay off the ledger). */
  entries: number;
  /** For an enrollment: the person id of each input. */
  people?: string[];
  /** For an upload: the file. */
  media?: DemoMedia;
}

/** A file to upload with POST /media before the report that shows it (its SHA-256 is known from its bytes). */
export interface DemoMedia {
  fileName: string;
  contentType: string;
  bytes: Buffer;
  sha256: string;
}

export interface CharitySpec {
  /** `c1` … `c6`, `c1-2` for the second copy of c1 … */
  label: string;
  replica: number;
  template: CharityTemplate;
  name: string;
  creditCode: string;
  kind: CharityKind;
  district: string;
}

export interface GrantTotal {
  count: number;
  minorUnits: number;
}

/** What the plan writes for one charity: what to check the ledger against. */
export interface CharityFacts {
  entries: number;
  gifts: number;
  giftsMinor: number;
  topUps: number;
  inKindGifts: number;
  inKindMinor: number;
  refunds: number;
  refundsMinor: number;
  procurements: number;
  procurementsMinor: number;
  expenses: number;
  expensesMinor: Record<CostClass, number>;
  selections: number;
  beneficiaries: number;
  /** People enrolled (personal data off the ledger). */
  enrolled: number;
  /** Progress reports published (quarterly, each with a PDF). */
  reports: number;
  /** Cash grants that stand (not reversed), per project. */
  grants: Record<string, GrantTotal>;
  /** Sequence of the first cash grant, to try `traceEntry` on. */
  firstGrantSequence: number | null;
  goodsDeliveries: number;
  reversals: number;
  projects: number;
  closedProjects: number;
}

export interface CharityPlan {
  spec: CharitySpec;
  steps: DemoStep[];
  facts: CharityFacts;
}

export interface PlantedDuplicate {
  /** The demo's id of the person; the pseudonym is what the service answers when the person is enrolled. */
  personId: string;
  category: string;
  /** charity label → project id */
  projects: Record<string, string>;
}

const YEAR = 2024;
const BATCH = 1_000;
const SELECTION_LIMIT = 1_000;
const STREETS_BY_DISTRICT = new Map(SHENZHEN_DISTRICTS.map((district) => [district.code, district.streets.map(([street]) => `${district.code}-${street}`)]));
const ALL_STREETS = [...STREETS_BY_DISTRICT.values()].flat();
const CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const KIND_CODE: Record<CharityKind, string> = {
  [CharityKind.PUBLIC_FUNDRAISING_FOUNDATION]: '53',
  [CharityKind.NON_PUBLIC_FUNDRAISING_FOUNDATION]: '53',
  [CharityKind.SOCIAL_ORGANISATION]: '51',
  [CharityKind.SOCIAL_SERVICE_AGENCY]: '52',
};

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const yuan = (minorUnits: number) => formatAmount({ currency: 'CNY', minorUnits });
const pad = (value: number) => value.toString().padStart(2, '0');
const daysIn = (month: number) => new Date(Date.UTC(YEAR, month, 0)).getUTCDate();

/** An instant on a working day of 2024 in China Standard Time, as ISO 8601 UTC. */
function moment(month: number, day: number, hour: number, minute: number): string {
  return new Date(Date.UTC(YEAR, month - 1, day, hour - 8, minute)).toISOString();
}

function randomMoment(random: DemoRandom, month: number, fromDay = 1, toDay = daysIn(month)): string {
  return moment(month, random.int(fromDay, Math.min(toDay, daysIn(month))), random.int(8, 20), random.int(0, 59));
}

/** The charities of the plan: the six, then their copies in other districts. */
export function demoCharities(options: DemoOptions): CharitySpec[] {
  const specs: CharitySpec[] = [];
  for (let replica = 0; replica < options.scale; replica++) {
    CHARITY_TEMPLATES.forEach((template, index) => {
      const label = replica === 0 ? template.label : `${template.label}-${replica + 1}`;
      const district = replica === 0 ? template.district : SHENZHEN_DISTRICTS[(index + replica) % SHENZHEN_DISTRICTS.length].code;
      const name = replica === 0 ? template.name : template.name.replace(/（演示）$/, `（演示·${replica + 1}）`);
      specs.push({ label, replica, template, name, creditCode: creditCode(options.seed, label, template.kind, district), kind: template.kind, district });
    });
  }
  return specs;
}

/** A valid unified social credit code (GB 32100-2015) for a demo charity, derived from the seed. */
function creditCode(seed: string, label: string, kind: CharityKind, district: string): string {
  const area = SHENZHEN_DISTRICTS.find((candidate) => candidate.code === district)?.gbCode ?? '440300';
  const digest = createHash('sha256').update(`charity-ledger/demo/credit-code/v1\n${seed}\n${label}`, 'utf8').digest();
  const body = `MJ${[...digest.subarray(0, 7)].map((byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join('')}`;
  const first17 = `${KIND_CODE[kind]}${area}${body}`;
  return first17 + creditCodeCheckCharacter(first17);
}

function supplierCode(supplier: DemoSupplier): string {
  return supplier.codeBody + creditCodeCheckCharacter(supplier.codeBody);
}

/** The people helped by two charities in one category: the same pseudonym at both, in 2024. */
export function plantedDuplicates(options: DemoOptions): PlantedDuplicate[] {
  return PLANTED_DUPLICATES.people.map((personId) => ({
    personId,
    category: PLANTED_DUPLICATES.category,
    projects: { ...PLANTED_DUPLICATES.projects },
  }));
}

/** A short fingerprint of a plan, to see that two runs wrote the same thing. */
export function planFingerprint(plans: Iterable<CharityPlan>): string {
  const hash = createHash('sha256');
  for (const plan of plans) hash.update(JSON.stringify([plan.spec.label, plan.spec.name, plan.spec.creditCode, plan.steps]));
  return hash.digest('hex').slice(0, 16);
}

interface Lot {
  sequence: number;
  remaining: number;
  owner: string;
  index: number;
}

/** Money taken for one entry: from which restricted gifts, and how much from the pool. */
interface Draw {
  restricted: Array<[Lot, number]>;
  pool: number;
}

/** What a project did in a quarter, for its progress report. */
interface QuarterFigures {
  grants: number;
  grantsMinor: number;
  deliveries: number;
  units: number;
  people: Set<string>;
}

interface ProjectState {
  template: ProjectTemplate;
  region: string;
  open: boolean;
  /** Month it was opened in (1–12). */
  openedIn: number;
  /** Quarter (1–4) → its figures. */
  quarters: Map<number, QuarterFigures>;
  lots: Lot[];
  head: number;
  goods: Map<string, number>;
  selected: Set<string>;
}

interface Grant {
  date: string;
  minorUnits: number;
  /** person id */
  person: string;
  planted: boolean;
}

interface Delivery {
  date: string;
  item: DemoItem;
  units: number;
  person: string;
}

/** The steps of one charity's year. */
export function planCharity(options: DemoOptions, spec: CharitySpec): CharityPlan {
  return new CharityPlanner(options, spec).plan();
}

class CharityPlanner {
  private readonly steps: DemoStep[] = [];
  private readonly random: DemoRandom;
  private readonly template: CharityTemplate;
  private readonly projects = new Map<string, ProjectState>();
  private readonly purposeLots = new Map<number, { remaining: number; used: boolean }>();
  private readonly poolGoods = new Map<string, number>();
  /** person id → the street they live in */
  private readonly regionOf = new Map<string, string>();
  /** people this charity has enrolled */
  private readonly enrolled = new Set<string>();
  private readonly keyPrefix: string;
  private pool = 0;
  private nextSequence = 1;
  private keys = 0;
  private people = 0;
  private readonly facts: CharityFacts = {
    entries: 0,
    gifts: 0,
    giftsMinor: 0,
    topUps: 0,
    inKindGifts: 0,
    inKindMinor: 0,
    refunds: 0,
    refundsMinor: 0,
    procurements: 0,
    procurementsMinor: 0,
    expenses: 0,
    expensesMinor: Object.fromEntries(COST_CLASSES.map((costClass) => [costClass, 0])) as Record<CostClass, number>,
    selections: 0,
    beneficiaries: 0,
    enrolled: 0,
    reports: 0,
    grants: {},
    firstGrantSequence: null,
    goodsDeliveries: 0,
    reversals: 0,
    projects: 0,
    closedProjects: 0,
  };

  constructor(
    private readonly options: DemoOptions,
    private readonly spec: CharitySpec,
  ) {
    this.random = DemoRandom.stream(options.seed, `charity/${spec.label}`);
    this.template = spec.template;
    this.keyPrefix = `demo-${sha256(options.seed).slice(0, 8)}-${spec.label}`;
  }

  plan(): CharityPlan {
    const schedules = new Map<string, { grants: Grant[]; deliveries: Delivery[] }>();
    for (const project of this.template.projects) {
      const region = this.projectRegion(project);
      this.projects.set(project.projectId, {
        template: project,
        region,
        open: false,
        openedIn: project.opensInMonth ?? 1,
        quarters: new Map(),
        lots: [],
        head: 0,
        goods: new Map(),
        selected: new Set(),
      });
      schedules.set(project.projectId, { grants: this.grantSchedule(project), deliveries: this.deliverySchedule(project) });
    }
    const refundable = new Map<NamedGift, number>();

    for (let month = 1; month <= 12; month++) {
      // the last quarter's progress reports, once it has ended
      if (month % 3 === 1 && month > 1) this.progressReports((month - 1) / 3);
      for (const project of this.template.projects) if ((project.opensInMonth ?? 1) === month) this.openProject(project);
      this.monthlyGifts(month, refundable);
      for (const gift of this.template.inKindGifts.filter((candidate) => candidate.month === month)) this.inKindGift(gift.donor, gift.item, gift.quantity, gift.projectId, month);

      for (const project of this.template.projects) {
        const state = this.projects.get(project.projectId)!;
        if (!state.open) continue;
        const schedule = schedules.get(project.projectId)!;
        const grants = schedule.grants.filter((grant) => Number(grant.date.slice(5, 7)) === month);
        const deliveries = schedule.deliveries.filter((delivery) => Number(delivery.date.slice(5, 7)) === month);
        this.selectNewPeople(state, [...grants.map((grant) => grant.person), ...deliveries.map((delivery) => delivery.person)], month);
        const corrections = this.template.corrections.filter((correction) => correction.month === month && correction.projectId === project.projectId);
        this.procureFor(state, deliveries, corrections.some((correction) => correction.kind === 'WRONG_DELIVERY') ? 1 : 0, month);
        const flows: Array<{ date: string; grant?: Grant; delivery?: Delivery }> = [
          ...grants.map((grant) => ({ date: grant.date, grant })),
          ...deliveries.map((delivery) => ({ date: delivery.date, delivery })),
        ].sort((a, b) => a.date.localeCompare(b.date));
        let duplicateDone = false;
        let wrongDeliveryDone = false;
        for (const flow of flows) {
          if (flow.grant) {
            this.cashGrant(state, flow.grant);
            if (!duplicateDone && !flow.grant.planted && corrections.some((correction) => correction.kind === 'DUPLICATE_GRANT')) {
              // the same grant keyed in twice, and the second one reversed
              const grant = { ...flow.grant, date: new Date(Date.parse(flow.grant.date) + 1_800_000).toISOString() };
              const duplicate = this.cashGrant(state, grant);
              this.reverse(duplicate.sequence, '更正：同一笔救助金重复录入，撤销重复的一笔。', () => this.undoGrant(state.template.projectId, grant, duplicate.draw));
              duplicateDone = true;
            }
          } else if (flow.delivery) {
            if (!wrongDeliveryDone && corrections.some((correction) => correction.kind === 'WRONG_DELIVERY')) {
              // one unit too many recorded, reversed, then the right delivery recorded
              const wrong = this.goodsDelivery(state, { ...flow.delivery, units: flow.delivery.units + 1 });
              if (wrong) this.reverse(wrong.sequence, `更正：实际发放 ${flow.delivery.units} ${flow.delivery.item.unit}，误录为 ${flow.delivery.units + 1} ${flow.delivery.item.unit}。`, wrong.undo);
              wrongDeliveryDone = true;
            }
            this.goodsDelivery(state, flow.delivery);
          }
        }
        this.expense(project.projectId, 'CHARITABLE_ACTIVITY', this.monthlyCost(project.monthlyCostYuan), `${project.monthlyCostDescription}（${month} 月）`, month);
      }

      const wrongExpense = this.template.corrections.some((correction) => correction.month === month && correction.kind === 'WRONG_EXPENSE');
      const management = this.monthlyCost(this.template.monthlyManagementYuan);
      if (wrongExpense) {
        const wrong = this.expense(null, 'MANAGEMENT', management * 10, `办公场地租金与行政人员工资（${month} 月）`, month);
        if (wrong) this.reverse(wrong.sequence, `更正：金额多录入一位，应为 ${yuan(management)} 元。`, wrong.undo);
      }
      this.expense(null, 'MANAGEMENT', management, `办公场地租金与行政人员工资（${month} 月）`, month);
      if (this.template.monthlyFundraisingYuan > 0) {
        this.expense(null, 'FUNDRAISING', this.monthlyCost(this.template.monthlyFundraisingYuan), `网络募捐平台服务费与宣传物料（${month} 月）`, month);
      }

      for (const [gift, sequence] of refundable) if (gift.refund?.month === month) this.refund(sequence, gift, month);
      for (const project of this.template.projects) {
        if (project.close && Number(project.close.closedOn.slice(5, 7)) === month) this.closeProject(project);
      }
    }
    this.progressReports(4);
    this.facts.entries = this.nextSequence - 1;
    return { spec: this.spec, steps: this.steps, facts: this.facts };
  }

  // ---- schedules -------------------------------------------------------------

  private scaled(count: number): number {
    return count === 0 ? 0 : Math.max(1, Math.round(count * this.options.volume));
  }

  /** Money scaled with the volume, in fen, rounded to ¥100 (at least ¥100). */
  private scaledMoney(yuanAmount: number): number {
    return this.options.volume === 1 ? yuanAmount * 100 : Math.max(100, Math.round((yuanAmount * this.options.volume) / 100) * 100) * 100;
  }

  private monthlyCost(yuanAmount: number): number {
    if (yuanAmount === 0) return 0;
    const base = this.scaledMoney(yuanAmount);
    return Math.max(10_00, Math.round((base * (0.85 + this.random.next() * 0.3)) / 10_00) * 10_00);
  }

  private projectRegion(project: ProjectTemplate): string {
    const streets = STREETS_BY_DISTRICT.get(this.spec.district)!;
    if (!project.street) return this.spec.district;
    if (this.spec.replica === 0) return project.street;
    const original = STREETS_BY_DISTRICT.get(this.template.district)!.indexOf(project.street);
    return streets[Math.max(0, original) % streets.length];
  }

  private isMajorIllnessFund(project: ProjectTemplate): boolean {
    return this.spec.label === MAJOR_ILLNESS.label && project.projectId === MAJOR_ILLNESS.projectId;
  }

  private newPerson(): string {
    this.people += 1;
    return this.person(`${this.spec.label}-p${this.people}`);
  }

  /** A person id, with the street they live in drawn the first time. */
  private person(personId: string): string {
    if (!this.regionOf.has(personId)) {
      // most live in the charity's district, some anywhere in the city
      const streets = this.random.chance(0.75) ? STREETS_BY_DISTRICT.get(this.spec.district)! : ALL_STREETS;
      this.regionOf.set(personId, this.random.pick(streets));
    }
    return personId;
  }

  /** Grant sizes around the typical one; when the plan fixes the total, they add up to it exactly, in whole ¥100. */
  private grantAmounts(plan: CashGrantPlan, count: number, totalYuan: number | undefined): number[] {
    const min = plan.minYuan / 100;
    const max = plan.maxYuan / 100;
    const raw = Array.from({ length: count }, () => plan.typicalYuan * this.random.skewed(0.6));
    if (totalYuan === undefined) return raw.map((value) => Math.min(max, Math.max(min, Math.round(value / 100))) * 100_00);
    const units = Math.round(totalYuan / 100);
    if (units < count * min || units > count * max) throw new Error(`cannot split ¥${totalYuan} into ${count} grants of ¥${plan.minYuan}–¥${plan.maxYuan}`);
    const rawTotal = raw.reduce((sum, value) => sum + value, 0);
    const amounts = raw.map((value) => Math.min(max, Math.max(min, Math.round((value * units) / rawTotal))));
    let difference = units - amounts.reduce((sum, value) => sum + value, 0);
    // spread what rounding and clamping left over, ¥100 at a time, over grants with room
    for (let index = 0; difference !== 0; index = (index + 1) % count) {
      const step = Math.sign(difference);
      const slot = (index * 7_919) % count;
      if (amounts[slot] + step >= min && amounts[slot] + step <= max) {
        amounts[slot] += step;
        difference -= step;
      }
    }
    return amounts.map((value) => value * 100_00);
  }

  private grantSchedule(project: ProjectTemplate): Grant[] {
    const plan = project.cashGrants;
    if (!plan) return [];
    const majorIllness = this.isMajorIllnessFund(project);
    const planted = this.spec.replica === 0 && PLANTED_DUPLICATES.projects[this.spec.label] === project.projectId;
    // enough grants to plant the duplicates in, however small the volume
    let count = Math.max(this.scaled(plan.count), planted ? PLANTED_DUPLICATES.people.length + 3 : 0);
    let totalYuan = plan.totalYuan === undefined ? undefined : this.options.volume === 1 ? plan.totalYuan : Math.round((plan.totalYuan * count) / plan.count / 100) * 100;
    if (plan.totalYuan !== undefined && !majorIllness) {
      // a copy of the fund in another district is of another size
      count = Math.max(1, Math.round(count * (0.3 + this.random.next() * 0.6)));
      totalYuan = undefined;
    }
    const months = project.cashGrants?.months ?? [...Array(12).keys()].map((index) => index + 1);
    const firstMonth = project.opensInMonth ?? 1;
    const usable = months.filter((month) => month >= firstMonth);
    const amounts = this.grantAmounts(plan, count, totalYuan);
    const dates = amounts.map(() => {
      const month = this.random.pick(usable);
      return randomMoment(this.random, month, 5, 28);
    });
    dates.sort();
    const people: string[] = [];
    const grants: Grant[] = dates.map((date, index) => {
      const repeat = people.length > 0 && this.random.chance(plan.repeatShare);
      const person = repeat ? this.random.pick(people) : this.newPerson();
      if (!repeat) people.push(person);
      return { date, minorUnits: amounts[index], person, planted: false };
    });
    if (planted) {
      // the planted people take the place of first-time recipients spread over the year
      const firsts = grants.filter((grant, index) => grants.findIndex((other) => other.person === grant.person) === index);
      PLANTED_DUPLICATES.people.forEach((personId, index) => {
        const slot = firsts[Math.floor(((index + 0.5) * firsts.length) / PLANTED_DUPLICATES.people.length)];
        if (!slot) throw new Error(`too few grants in ${project.projectId} to plant ${PLANTED_DUPLICATES.people.length} duplicates`);
        const planted = this.person(personId);
        for (const grant of grants) {
          if (grant.person === slot.person) {
            grant.person = planted;
            grant.planted = true;
          }
        }
      });
    }
    return grants;
  }

  private deliverySchedule(project: ProjectTemplate): Delivery[] {
    const plan = project.goods;
    if (!plan) return [];
    const firstMonth = project.opensInMonth ?? 1;
    const months = (plan.months ?? [...Array(12).keys()].map((index) => index + 1)).filter((month) => month >= firstMonth);
    const people: string[] = [];
    const dates = Array.from({ length: this.scaled(plan.deliveries) }, () => randomMoment(this.random, this.random.pick(months), 6, 28)).sort();
    return dates.map((date) => {
      const repeat = people.length > 0 && this.random.chance(0.5);
      const person = repeat ? this.random.pick(people) : this.newPerson();
      if (!repeat) people.push(person);
      return { date, item: this.random.pick(plan.items), units: this.random.int(plan.perDelivery[0], plan.perDelivery[1]), person };
    });
  }

  // ---- the books the planner keeps ---------------------------------------------

  private available(projectId: string | null): number {
    if (projectId === null) return this.pool;
    const state = this.projects.get(projectId)!;
    let restricted = 0;
    for (let index = state.head; index < state.lots.length; index++) restricted += state.lots[index].remaining;
    return restricted + this.pool;
  }

  /** Takes money as the ledger does: the project's restricted gifts first in first out, then the pool. */
  private draw(projectId: string | null, fen: number): Draw {
    const draw: Draw = { restricted: [], pool: 0 };
    let needed = fen;
    if (projectId !== null) {
      const state = this.projects.get(projectId)!;
      for (let index = state.head; index < state.lots.length && needed > 0; index++) {
        const lot = state.lots[index];
        const part = Math.min(lot.remaining, needed);
        if (part === 0) continue;
        lot.remaining -= part;
        needed -= part;
        draw.restricted.push([lot, part]);
      }
      while (state.head < state.lots.length && state.lots[state.head].remaining === 0) state.head += 1;
    }
    if (needed > this.pool) throw new Error(`${this.spec.label}: the plan overspends (${yuan(needed)} from a pool of ${yuan(this.pool)})`);
    this.pool -= needed;
    draw.pool = needed;
    return draw;
  }

  private giveBack(draw: Draw): void {
    for (const [lot, part] of draw.restricted) {
      lot.remaining += part;
      const state = this.projects.get(lot.owner)!;
      state.head = Math.min(state.head, lot.index);
    }
    this.pool += draw.pool;
  }

  /** Makes sure the money is there, with a board member's unrestricted gift the day before if not. */
  private ensure(projectId: string | null, fen: number, at: string): void {
    const missing = fen - this.available(projectId);
    if (missing <= 0) return;
    const topUp = Math.ceil((missing * 1.2) / 10_000_00) * 10_000_00;
    const donor = PUBLISHED_DONORS[this.facts.topUps % PUBLISHED_DONORS.length];
    this.facts.topUps += 1;
    this.recordGifts('recordDonation', [{ fen: topUp, at: new Date(Date.parse(at) - 86_400_000).toISOString(), donor: { name: donor, publishName: true, type: 'ORGANISATION' }, channel: 'BANK_TRANSFER' }]);
  }

  // ---- entries ---------------------------------------------------------------

  private key(label: string): string {
    this.keys += 1;
    return `${this.keyPrefix}-${label}-${this.keys}`;
  }

  private push(operation: DemoOperation, inputs: Array<Record<string, unknown>>, entries = inputs.length, people?: string[]): number {
    const firstSequence = this.nextSequence;
    this.steps.push({ operation, inputs, firstSequence, entries, ...(people ? { people } : {}) });
    this.nextSequence += entries;
    return firstSequence;
  }

  private openProject(project: ProjectTemplate): void {
    const state = this.projects.get(project.projectId)!;
    this.push('openProject', [
      {
        idempotencyKey: this.key('project'),
        projectId: project.projectId,
        title: project.title,
        purpose: project.purpose,
        category: project.category,
        region: { code: state.region },
        startDate: project.startDate,
        endDate: project.endDate,
        budget: yuan(this.scaledMoney(project.budgetYuan)),
        currency: 'CNY',
        publicFundraising: project.publicFundraising,
      },
    ]);
    state.open = true;
    this.facts.projects += 1;
  }

  /** The month's small gifts and named gifts, in batches of up to 1,000; `refundable` learns the sequences of named gifts refunded later. */
  private monthlyGifts(month: number, refundable: Map<NamedGift, number>): void {
    // the 99 Giving Day (September) and the year's end bring more gifts
    const season = month === 9 ? 1.6 : month === 12 ? 1.3 : 1;
    const count = this.scaled(Math.round(this.template.monthlyGifts * season));
    const open = this.template.projects.filter((project) => this.projects.get(project.projectId)!.open);
    const weights = open.map((project) => project.giftWeight);
    const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
    const gifts: GiftPlan[] = [];
    for (let index = 0; index < count; index++) {
      let projectId: string | undefined;
      if (open.length > 0 && !this.random.chance(this.template.unrestrictedShare)) {
        let pick = this.random.next() * totalWeight;
        projectId = open.find((_project, position) => (pick -= weights[position]) < 0)?.projectId ?? open[open.length - 1].projectId;
      }
      const published = this.random.chance(this.template.publishedShare);
      const fen = Math.max(100, Math.round(this.template.typicalGiftYuan * this.random.skewed(1)) * 100);
      gifts.push({
        fen: fen >= 10_000_00 ? Math.round(fen / 100_00) * 100_00 : fen,
        at: randomMoment(this.random, month),
        projectId,
        donor: published
          ? { name: this.random.pick(PUBLISHED_DONORS), publishName: true, type: 'ORGANISATION' }
          : this.random.chance(0.6)
            ? { name: this.random.pick(PRIVATE_DONORS), publishName: false }
            : { publishName: false },
        channel: this.weightedChannel(),
      });
    }
    const named = this.template.namedGifts.filter((gift) => gift.month === month);
    for (const gift of named) {
      gifts.push({
        fen: this.scaledMoney(gift.yuan),
        at: randomMoment(this.random, month, 2, 20),
        projectId: gift.projectId,
        purpose: gift.purpose,
        donor: { name: gift.donor, publishName: true, type: 'ORGANISATION' },
        channel: 'BANK_TRANSFER',
        named: gift,
      });
    }
    gifts.sort((a, b) => a.at.localeCompare(b.at));
    for (let start = 0; start < gifts.length; start += BATCH) {
      const batch = gifts.slice(start, start + BATCH);
      const first = this.recordGifts('recordDonations', batch);
      batch.forEach((gift, index) => {
        if (gift.named?.refund) refundable.set(gift.named, first + index);
      });
    }
  }

  private weightedChannel(): string {
    let pick = this.random.next() * CHANNEL_WEIGHTS.reduce((sum, weight) => sum + weight, 0);
    return CHANNELS.find((_channel, index) => (pick -= CHANNEL_WEIGHTS[index]) < 0) ?? CHANNELS[0];
  }

  /** Appends gifts (a batch or one) and books them: project gifts as the project's lots, purpose gifts apart, the rest to the pool. */
  private recordGifts(operation: 'recordDonations' | 'recordDonation', gifts: GiftPlan[]): number {
    const first = this.push(
      operation,
      gifts.map((gift) => ({
        idempotencyKey: this.key('gift'),
        amount: yuan(gift.fen),
        currency: 'CNY',
        donor: gift.donor,
        channel: gift.channel,
        ...(gift.projectId ? { restriction: { kind: 'PROJECT', projectId: gift.projectId } } : gift.purpose ? { restriction: { kind: 'PURPOSE', purpose: gift.purpose } } : {}),
        receivedAt: gift.at,
        handler: this.template.handler,
      })),
    );
    gifts.forEach((gift, index) => {
      const sequence = first + index;
      if (gift.projectId) {
        const state = this.projects.get(gift.projectId)!;
        state.lots.push({ sequence, remaining: gift.fen, owner: gift.projectId, index: state.lots.length });
      } else if (gift.purpose) this.purposeLots.set(sequence, { remaining: gift.fen, used: false });
      else this.pool += gift.fen;
      this.facts.gifts += 1;
      this.facts.giftsMinor += gift.fen;
    });
    return first;
  }

  private inKindGift(donor: string, item: DemoItem, quantity: number, projectId: string | undefined, month: number): void {
    const units = this.options.volume === 1 ? quantity : Math.max(5, Math.round(quantity * this.options.volume));
    const value = units * item.unitPrice * 100;
    this.push('recordInKindDonation', [
      {
        idempotencyKey: this.key('in-kind'),
        items: [{ itemCode: item.itemCode, description: item.description, quantity: units, unit: item.unit }],
        valuationBasis: 'INVOICE',
        fairValue: yuan(value),
        currency: 'CNY',
        condition: 'NEW',
        donor: { name: donor, publishName: true, type: 'ORGANISATION' },
        ...(projectId ? { restriction: { kind: 'PROJECT', projectId } } : {}),
        receivedAt: randomMoment(this.random, month, 1, 4),
        handler: this.template.handler,
      },
    ]);
    const stock = projectId ? this.projects.get(projectId)!.goods : this.poolGoods;
    stock.set(item.itemCode, (stock.get(item.itemCode) ?? 0) + units);
    this.facts.inKindGifts += 1;
    this.facts.inKindMinor += value;
  }

  /** Enrols the people the month's grants and deliveries reach for the first time, then selects them (by pseudonym only). */
  private selectNewPeople(state: ProjectState, people: string[], month: number): void {
    const fresh = [...new Set(people.filter((person) => !state.selected.has(person)))];
    const toEnroll = fresh.filter((person) => !this.enrolled.has(person));
    if (toEnroll.length > 0) {
      this.push(
        'enrollBeneficiary',
        toEnroll.map((person) => demoPerson(this.options.seed, person, state.template.category, this.regionOf.get(person)!).enrollment),
        0,
        toEnroll,
      );
      for (const person of toEnroll) this.enrolled.add(person);
      this.facts.enrolled += toEnroll.length;
    }
    for (let start = 0; start < fresh.length; start += SELECTION_LIMIT) {
      const chunk = fresh.slice(start, start + SELECTION_LIMIT);
      this.push('selectBeneficiaries', [
        {
          idempotencyKey: this.key('selection'),
          projectId: state.template.projectId,
          criteria: { text: state.template.criteria, version: `${YEAR}-1` },
          decisionBody: state.template.decisionBody,
          decidedOn: `${YEAR}-${pad(month)}-03`,
          beneficiaries: chunk.map((person) => ({ pseudonym: personReference(person), commitment: personReference(person), region: { code: this.regionOf.get(person)! } })),
        },
      ]);
      for (const person of chunk) state.selected.add(person);
      this.facts.selections += 1;
      this.facts.beneficiaries += chunk.length;
    }
  }

  /** Buys what the month's deliveries need beyond the stock (10 % more), at the start of the month. */
  private procureFor(state: ProjectState, deliveries: Delivery[], extraUnits: number, month: number): void {
    const plan = state.template.goods;
    if (!plan || deliveries.length === 0) return;
    const needed = new Map<DemoItem, number>();
    for (const delivery of deliveries) needed.set(delivery.item, (needed.get(delivery.item) ?? 0) + delivery.units);
    const first = deliveries[0].item;
    needed.set(first, needed.get(first)! + extraUnits);
    const lines = [...needed]
      .map(([item, units]) => {
        const inStock = (state.goods.get(item.itemCode) ?? 0) + (this.poolGoods.get(item.itemCode) ?? 0);
        return { item, quantity: units > inStock ? Math.ceil((units - inStock) * 1.1) : 0 };
      })
      .filter((line) => line.quantity > 0);
    if (lines.length === 0) return;
    const total = lines.reduce((sum, line) => sum + line.quantity * line.item.unitPrice * 100, 0);
    const at = moment(month, 4, 10, 30);
    const purpose = [...this.purposeLots].find(([, lot]) => !lot.used && lot.remaining >= total);
    if (!purpose) this.ensure(state.template.projectId, total, at);
    this.push('recordProcurement', [
      {
        idempotencyKey: this.key('purchase'),
        projectId: state.template.projectId,
        supplier: { name: plan.supplier.name, creditCode: supplierCode(plan.supplier) },
        lines: lines.map((line) => ({
          description: line.item.description,
          itemCode: line.item.itemCode,
          quantity: line.quantity,
          unit: line.item.unit,
          unitPrice: yuan(line.item.unitPrice * 100),
        })),
        total: yuan(total),
        currency: 'CNY',
        invoice: { sha256: sha256(`${this.keyPrefix}/invoice/${this.keys}`), uri: `https://invoices.example.org/${this.spec.label}/${YEAR}-${pad(month)}-${this.keys}.pdf` },
        ...(purpose ? { funding: [{ donationSequence: purpose[0], amount: yuan(total) }] } : {}),
        purchasedAt: at,
      },
    ]);
    if (purpose) {
      purpose[1].remaining -= total;
      purpose[1].used = true;
    } else this.draw(state.template.projectId, total);
    for (const line of lines) state.goods.set(line.item.itemCode, (state.goods.get(line.item.itemCode) ?? 0) + line.quantity);
    this.facts.procurements += 1;
    this.facts.procurementsMinor += total;
  }

  /** Cash to a selected person. */
  private cashGrant(state: ProjectState, grant: Grant): { sequence: number; draw: Draw } {
    const projectId = state.template.projectId;
    this.ensure(projectId, grant.minorUnits, grant.date);
    const sequence = this.push('recordDisbursement', [
      {
        idempotencyKey: this.key('grant'),
        projectId,
        beneficiary: personReference(grant.person),
        cash: yuan(grant.minorUnits),
        currency: 'CNY',
        method: this.random.chance(0.8) ? 'BANK_TRANSFER' : 'MOBILE_PAYMENT',
        disbursedAt: grant.date,
        deliveryEvidenceSha256: sha256(`${this.keyPrefix}/transfer/${this.keys}`),
      },
    ]);
    const draw = this.draw(projectId, grant.minorUnits);
    this.facts.firstGrantSequence ??= sequence;
    const total = (this.facts.grants[projectId] ??= { count: 0, minorUnits: 0 });
    total.count += 1;
    total.minorUnits += grant.minorUnits;
    const quarter = this.quarterFigures(state, grant.date);
    quarter.grants += 1;
    quarter.grantsMinor += grant.minorUnits;
    quarter.people.add(grant.person);
    return { sequence, draw };
  }

  private undoGrant(projectId: string, grant: Grant, draw: Draw): void {
    this.giveBack(draw);
    this.facts.grants[projectId].count -= 1;
    this.facts.grants[projectId].minorUnits -= grant.minorUnits;
    const quarter = this.quarterFigures(this.projects.get(projectId)!, grant.date);
    quarter.grants -= 1;
    quarter.grantsMinor -= grant.minorUnits;
  }

  private quarterFigures(state: ProjectState, date: string): QuarterFigures {
    const quarter = Math.ceil(Number(date.slice(5, 7)) / 3);
    let figures = state.quarters.get(quarter);
    if (!figures) {
      figures = { grants: 0, grantsMinor: 0, deliveries: 0, units: 0, people: new Set() };
      state.quarters.set(quarter, figures);
    }
    return figures;
  }

  /** Goods to a selected person: the project's own first, then unrestricted gifts in kind. None when two projects emptied the shared stock. */
  private goodsDelivery(state: ProjectState, delivery: Delivery): { sequence: number; undo: () => void } | undefined {
    const code = delivery.item.itemCode;
    const own = state.goods.get(code) ?? 0;
    const shared = this.poolGoods.get(code) ?? 0;
    if (own + shared < delivery.units) return undefined;
    const sequence = this.push('recordDisbursement', [
      {
        idempotencyKey: this.key('delivery'),
        projectId: state.template.projectId,
        beneficiary: personReference(delivery.person),
        goods: [{ itemCode: code, quantity: delivery.units }],
        method: this.random.chance(0.7) ? 'DELIVERY' : 'IN_PERSON',
        disbursedAt: delivery.date,
        deliveryEvidenceSha256: sha256(`${this.keyPrefix}/delivery/${this.keys}`),
      },
    ]);
    const fromOwn = Math.min(own, delivery.units);
    state.goods.set(code, own - fromOwn);
    this.poolGoods.set(code, shared - (delivery.units - fromOwn));
    this.facts.goodsDeliveries += 1;
    const quarter = this.quarterFigures(state, delivery.date);
    quarter.deliveries += 1;
    quarter.units += delivery.units;
    quarter.people.add(delivery.person);
    return {
      sequence,
      undo: () => {
        state.goods.set(code, (state.goods.get(code) ?? 0) + fromOwn);
        this.poolGoods.set(code, (this.poolGoods.get(code) ?? 0) + delivery.units - fromOwn);
        this.facts.goodsDeliveries -= 1;
        quarter.deliveries -= 1;
        quarter.units -= delivery.units;
      },
    };
  }

  private expense(projectId: string | null, costClass: CostClass, fen: number, description: string, month: number): { sequence: number; undo: () => void } | undefined {
    if (fen <= 0) return undefined;
    const at = moment(month, daysIn(month) - 1, 16, 0);
    this.ensure(projectId, fen, at);
    const sequence = this.push('recordExpense', [
      {
        idempotencyKey: this.key('expense'),
        ...(projectId ? { projectId } : {}),
        costClass,
        amount: yuan(fen),
        currency: 'CNY',
        description,
        evidenceSha256: sha256(`${this.keyPrefix}/expense/${this.keys}`),
        incurredAt: at,
      },
    ]);
    const draw = this.draw(projectId, fen);
    this.facts.expenses += 1;
    this.facts.expensesMinor[costClass] += fen;
    return {
      sequence,
      undo: () => {
        this.giveBack(draw);
        this.facts.expenses -= 1;
        this.facts.expensesMinor[costClass] -= fen;
      },
    };
  }

  private reverse(sequence: number, reason: string, undo: () => void): void {
    this.push('reverseEntry', [{ idempotencyKey: this.key('reversal'), sequence, reason }]);
    undo();
    this.facts.reversals += 1;
  }

  /** Returns part of a restricted gift (or what is left of it) at the donor's request. */
  private refund(sequence: number, gift: NamedGift, month: number): void {
    const purpose = this.purposeLots.get(sequence);
    const lot = gift.projectId ? this.projects.get(gift.projectId)!.lots.find((candidate) => candidate.sequence === sequence) : undefined;
    const remaining = purpose?.remaining ?? lot?.remaining ?? 0;
    const wanted = gift.refund!.yuan === undefined ? remaining : Math.min(remaining, this.scaledMoney(gift.refund!.yuan));
    if (wanted <= 0) return;
    this.push('refundDonation', [
      {
        idempotencyKey: this.key('refund'),
        donationSequence: sequence,
        ...(gift.refund!.yuan === undefined ? {} : { amount: yuan(wanted) }),
        currency: 'CNY',
        reason: gift.refund!.reason,
        refundedAt: moment(month, 20, 11, 0),
      },
    ]);
    if (purpose) purpose.remaining -= wanted;
    if (lot) {
      lot.remaining -= wanted;
      const state = this.projects.get(lot.owner)!;
      while (state.head < state.lots.length && state.lots[state.head].remaining === 0) state.head += 1;
    }
    this.facts.refunds += 1;
    this.facts.refundsMinor += wanted;
  }

  /**
   * Each project's report on a quarter that has ended: what it did (grants, deliveries,
   * people reached) against a quarter's share of the year's plan, with a PDF of the
   * report uploaded first. Published at the start of the next quarter; the fourth
   * quarter's after the year.
   */
  private progressReports(quarter: number): void {
    for (const project of this.template.projects) {
      const state = this.projects.get(project.projectId)!;
      const start = `${YEAR}-${pad(quarter * 3 - 2)}-01`;
      const end = `${YEAR}-${pad(quarter * 3)}-${pad(daysIn(quarter * 3))}`;
      if (state.openedIn > quarter * 3 || end < project.startDate || start > project.endDate) continue;
      const figures = state.quarters.get(quarter) ?? { grants: 0, grantsMinor: 0, deliveries: 0, units: 0, people: new Set<string>() };
      const plannedGrants = this.scaled(project.cashGrants?.count ?? 0);
      const plannedDeliveries = this.scaled(project.goods?.deliveries ?? 0);
      const activeQuarters = 4 - Math.floor((state.openedIn - 1) / 3);
      const indicators: Array<Record<string, string>> = [];
      const said: string[] = [];
      if (project.cashGrants) {
        indicators.push({ name: '现金救助', unit: '人次', baseline: '0', target: String(Math.round(plannedGrants / activeQuarters)), actual: String(figures.grants) });
        indicators.push({ name: '救助金额', unit: '元', target: yuan(Math.round(this.scaledMoney(project.budgetYuan) / activeQuarters / 100) * 100), actual: yuan(figures.grantsMinor) });
        said.push(`发放现金救助 ${figures.grants} 人次，合计 ${yuan(figures.grantsMinor)} 元`);
      }
      if (project.goods) {
        indicators.push({ name: '物资发放', unit: '人次', baseline: '0', target: String(Math.round(plannedDeliveries / activeQuarters)), actual: String(figures.deliveries) });
        said.push(`发放${project.goods.items.map((item) => item.description).join('、')}共 ${figures.units} 件（份），${figures.deliveries} 人次`);
      }
      indicators.push({ name: '受助人数', unit: '人', target: String(Math.round(Math.max(plannedGrants, plannedDeliveries) / activeQuarters)), actual: String(figures.people.size) });
      const label = `${YEAR}-Q${quarter}`;
      const narrative = `${YEAR} 年第 ${quarter} 季度，「${project.title}」${said.length > 0 ? said.join('；') : '开展前期准备'}，共惠及 ${figures.people.size} 人。受助人信息依法保密，财务数据以账本记录为准。`;
      const bytes = Buffer.from(
        `%PDF-1.4\n% ${this.spec.name} ${project.projectId} ${label} progress report\n% ${sha256(`${this.keyPrefix}/report/${project.projectId}/${label}`)}\n%%EOF\n`,
        'utf8',
      );
      const media: DemoMedia = { fileName: `${project.projectId}-${label}.pdf`, contentType: 'application/pdf', bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
      this.steps.push({ operation: 'uploadMedia', inputs: [], firstSequence: this.nextSequence, entries: 0, media });
      this.push('publishProgressReport', [
        {
          idempotencyKey: this.key('report'),
          projectId: project.projectId,
          period: label,
          narrative,
          indicators,
          media: [{ sha256: media.sha256, caption: `${label} 季度进展报告（PDF）`, consentReferences: [] }],
        },
      ]);
      this.facts.reports += 1;
    }
  }

  /** Closes a project and moves what is left of its restricted gifts and goods to the target. */
  private closeProject(project: ProjectTemplate): void {
    const close = project.close!;
    const state = this.projects.get(project.projectId)!;
    const target = this.projects.get(close.targetProjectId)!;
    this.push('closeProject', [
      {
        idempotencyKey: this.key('close'),
        projectId: project.projectId,
        closedOn: close.closedOn,
        leftover: { handling: 'TRANSFER_TO_PROJECT', targetProjectId: close.targetProjectId, explanation: close.explanation },
      },
    ]);
    for (const lot of state.lots.slice(state.head)) {
      if (lot.remaining === 0) continue;
      target.lots.push({ ...lot, owner: close.targetProjectId, index: target.lots.length });
      lot.remaining = 0;
    }
    state.head = state.lots.length;
    for (const [code, units] of state.goods) target.goods.set(code, (target.goods.get(code) ?? 0) + units);
    state.goods.clear();
    state.open = false;
    this.facts.closedProjects += 1;
  }
}

interface GiftPlan {
  fen: number;
  at: string;
  projectId?: string;
  purpose?: string;
  donor: Record<string, unknown>;
  channel: string;
  named?: NamedGift;
}

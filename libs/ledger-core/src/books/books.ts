import { formatAmount } from '../money.js';
import { LotQueue } from './lot-queue.js';
import {
  BooksError,
  type Beneficiary,
  type CostClass,
  type EntryEffects,
  type GoodsDraw,
  type GoodsLot,
  type MoneyDraw,
  type MoneyLot,
  type Project,
  type Region,
  type Restriction,
} from './books.types.js';

/** An entry as the books read it: its place in the chain, its type, when, and its payload. */
export interface BookEntry {
  sequence: number;
  type: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

interface MoneyAmount {
  currency: string;
  minorUnits: number;
}

interface Funding {
  donationSequence: number;
  amount: MoneyAmount;
}

const POOL = '\u0000pool';

/**
 * The books of one charity, evolved entry by entry in chain order. `plan` decides
 * what an entry does (or refuses it) without changing anything; `commit` applies
 * the plan; `undo` takes it back (for reversals, and for a refused unit of a batch).
 * Attribution is deterministic: restricted gifts are specifically identified; the
 * pool is drawn first in, first out by receipt order (chain order) unless an entry
 * names its funding; goods carry the funding of the money that bought them and are
 * drawn first in, first out per item code.
 */
export class Books {
  readonly projects = new Map<string, Project>();
  readonly moneyLots = new Map<number, MoneyLot>();
  readonly goodsLots = new Map<string, GoodsLot>();
  /** projectId → pseudonym → beneficiary */
  readonly selections = new Map<string, Map<string, Beneficiary>>();
  readonly effects = new Map<number, EntryEffects>();
  readonly reversedBy = new Map<number, number>();
  /** gift sequence → sequences of the entries that drew on it (for reversal checks) */
  private readonly usedBy = new Map<number, Set<number>>();
  /** goods lot → sequences of the entries that drew on it */
  private readonly lotUsedBy = new Map<string, Set<number>>();
  /** pseudonym key → disbursement sequences */
  private readonly disbursedTo = new Map<string, Set<number>>();
  private readonly moneyQueues = new Map<string, LotQueue<MoneyLot>>();
  private readonly goodsQueues = new Map<string, LotQueue<GoodsLot>>();
  headSequence = 0;

  constructor(readonly currency: string) {}

  /** Plans and commits one entry of the chain. */
  apply(entry: BookEntry): EntryEffects {
    const effects = this.plan(entry);
    this.commit(entry, effects);
    return effects;
  }

  /** What the entry would do; throws BooksError if the books refuse it. Changes nothing. */
  plan(entry: BookEntry): EntryEffects {
    if (entry.sequence <= this.headSequence) {
      throw new Error(`books are at sequence ${this.headSequence}; cannot plan entry ${entry.sequence}`);
    }
    const effects = emptyEffects(entry);
    const p = entry.payload;
    switch (entry.type) {
      case 'CASH_DONATION':
        this.checkMoney(p.amount as MoneyAmount, 'amount');
        this.checkGiftRestriction(p.restriction as Restriction);
        effects.lotsCreated.push(String(entry.sequence));
        break;
      case 'IN_KIND_DONATION':
        this.checkMoney((p.valuation as { fairValue: MoneyAmount }).fairValue, 'fairValue');
        this.checkGiftRestriction(p.restriction as Restriction);
        (p.items as unknown[]).forEach((_item, line) => effects.lotsCreated.push(goodsLotId(entry.sequence, line)));
        break;
      case 'PROJECT_OPENED':
        this.planOpenProject(p);
        effects.projectId = p.projectId as string;
        break;
      case 'PROJECT_CLOSED':
        this.planCloseProject(p, effects);
        break;
      case 'PROCUREMENT_RECORDED':
        this.planProcurement(entry, effects);
        break;
      case 'EXPENSE_RECORDED': {
        const projectId = (p.projectId as string | null) ?? null;
        if (projectId !== null) this.openProject(projectId, 'projectId');
        effects.projectId = projectId;
        effects.costClass = p.costClass as CostClass;
        effects.moneyDraws = this.drawMoney(projectId, this.checkMoney(p.amount as MoneyAmount, 'amount'), p.funding as Funding[] | undefined);
        break;
      }
      case 'BENEFICIARIES_SELECTED':
        this.planSelection(p, effects);
        break;
      case 'DISBURSEMENT_RECORDED':
        this.planDisbursement(p, effects);
        break;
      case 'DONATION_REFUNDED':
        this.planRefund(p, effects);
        break;
      case 'ENTRY_REVERSED':
        this.planReversal(p, effects);
        break;
      case 'PROGRESS_REPORT_PUBLISHED': {
        // no effect on money or goods; the project must be on the books (open or closed)
        const projectId = p.projectId as string;
        if (!this.projects.has(projectId)) throw new BooksError('NOT_FOUND', `no project "${projectId}" in this charity's books`, 'projectId');
        effects.projectId = projectId;
        break;
      }
      default:
        break;
    }
    return effects;
  }

  /** Applies a plan made by `plan` for this entry. */
  commit(entry: BookEntry, effects: EntryEffects): void {
    const p = entry.payload;
    switch (entry.type) {
      case 'CASH_DONATION': {
        const amount = (p.amount as MoneyAmount).minorUnits;
        const lot: MoneyLot = {
          sequence: entry.sequence,
          restriction: p.restriction as Restriction,
          amount,
          remaining: amount,
          receivedAt: entry.occurredAt,
          reversed: false,
        };
        this.moneyLots.set(entry.sequence, lot);
        this.moneyQueue(lot.restriction)?.push(lot);
        break;
      }
      case 'IN_KIND_DONATION': {
        const restriction = p.restriction as Restriction;
        const items = p.items as Array<{ itemCode: string; quantity: number; unit: string }>;
        const costs = splitByUnits((p.valuation as { fairValue: MoneyAmount }).fairValue.minorUnits, items.map((item) => item.quantity));
        items.forEach((item, line) => {
          this.addGoodsLot({
            lotId: goodsLotId(entry.sequence, line),
            sourceSequence: entry.sequence,
            line,
            source: 'IN_KIND',
            itemCode: item.itemCode,
            unit: item.unit,
            projectId: restriction.kind === 'PROJECT' ? restriction.projectId : null,
            restriction,
            quantity: item.quantity,
            remaining: item.quantity,
            unitValue: 1,
            cost: costs[line],
            slices: [{ fundingSequence: entry.sequence, value: item.quantity, remaining: item.quantity }],
            reversed: false,
          });
        });
        break;
      }
      case 'PROJECT_OPENED':
        this.projects.set(p.projectId as string, {
          projectId: p.projectId as string,
          title: p.title as string,
          purpose: p.purpose as string,
          category: p.category as Project['category'],
          region: p.region as Region,
          startDate: p.startDate as string,
          endDate: p.endDate as string,
          budgetMinor: (p.budget as MoneyAmount).minorUnits,
          publicFundraising: p.publicFundraising as boolean,
          status: 'OPEN',
          openedSequence: entry.sequence,
          closedSequence: null,
        });
        break;
      case 'PROJECT_CLOSED': {
        const project = this.projects.get(p.projectId as string)!;
        project.status = 'CLOSED';
        project.closedSequence = entry.sequence;
        this.moveLeftovers(effects, project.projectId, effects.transferredTo);
        // a transfer depends on where the lots were: an earlier close cannot be reversed under it
        for (const draw of effects.transferredMoney) this.track(this.usedBy, draw.fundingSequence, entry.sequence);
        for (const moved of effects.transferredGoods) this.track(this.lotUsedBy, moved.lotId, entry.sequence);
        break;
      }
      case 'PROCUREMENT_RECORDED':
        this.takeMoney(effects);
        this.createProcuredLots(entry, effects);
        break;
      case 'EXPENSE_RECORDED':
      case 'DONATION_REFUNDED':
        this.takeMoney(effects);
        break;
      case 'BENEFICIARIES_SELECTED': {
        const projectId = p.projectId as string;
        const selected = this.selections.get(projectId) ?? new Map<string, Beneficiary>();
        this.selections.set(projectId, selected);
        for (const beneficiary of p.beneficiaries as Array<{ pseudonym: string; commitment: string; region: Region }>) {
          selected.set(beneficiary.pseudonym, { ...beneficiary, selectionSequence: entry.sequence });
        }
        break;
      }
      case 'DISBURSEMENT_RECORDED':
        this.takeMoney(effects);
        this.takeGoods(effects);
        this.track(this.disbursedTo, `${effects.projectId}\u0000${effects.beneficiary}`, entry.sequence);
        break;
      case 'ENTRY_REVERSED': {
        const reversed = effects.reverses!;
        this.undo(this.effects.get(reversed)!);
        this.reversedBy.set(reversed, entry.sequence);
        break;
      }
      default:
        break;
    }
    this.effects.set(entry.sequence, effects);
    this.headSequence = entry.sequence;
  }

  /**
   * Takes back what an entry did. Used for reversals (after `planReversal` has
   * checked it is possible) and to drop the last, uncommitted entry of a refused unit.
   */
  undo(effects: EntryEffects): void {
    switch (effects.type) {
      case 'CASH_DONATION': {
        const lot = this.moneyLots.get(effects.sequence)!;
        lot.reversed = true;
        lot.remaining = 0;
        break;
      }
      case 'IN_KIND_DONATION':
      case 'PROCUREMENT_RECORDED':
        for (const lotId of effects.lotsCreated) {
          const lot = this.goodsLots.get(lotId)!;
          lot.reversed = true;
          lot.remaining = 0;
        }
        this.giveBackMoney(effects);
        break;
      case 'EXPENSE_RECORDED':
      case 'DONATION_REFUNDED':
        this.giveBackMoney(effects);
        break;
      case 'DISBURSEMENT_RECORDED':
        this.giveBackMoney(effects);
        this.giveBackGoods(effects);
        this.disbursedTo.get(`${effects.projectId}\u0000${effects.beneficiary}`)?.delete(effects.sequence);
        break;
      case 'BENEFICIARIES_SELECTED': {
        const selected = this.selections.get(effects.projectId!)!;
        for (const pseudonym of effects.selected) {
          if (selected.get(pseudonym)?.selectionSequence === effects.sequence) selected.delete(pseudonym);
        }
        break;
      }
      case 'PROJECT_OPENED':
        this.projects.delete(effects.projectId!);
        break;
      case 'PROJECT_CLOSED': {
        const project = this.projects.get(effects.projectId!)!;
        project.status = 'OPEN';
        project.closedSequence = null;
        if (effects.transferredTo) this.moveLeftovers(effects, effects.transferredTo, project.projectId);
        break;
      }
      default:
        break;
    }
  }

  // ---- planning -------------------------------------------------------------

  /** Minor units as people read them, e.g. "600.00 CNY". */
  private format(minorUnits: number): string {
    return `${formatAmount({ currency: this.currency, minorUnits })} ${this.currency}`;
  }

  private checkMoney(amount: MoneyAmount, field: string): number {
    if (amount.currency !== this.currency) {
      throw new BooksError('BAD_USER_INPUT', `this charity keeps its books in ${this.currency}, not ${amount.currency}`, field);
    }
    if (!Number.isSafeInteger(amount.minorUnits) || amount.minorUnits <= 0) {
      throw new BooksError('BAD_USER_INPUT', 'amount must be greater than zero', field);
    }
    return amount.minorUnits;
  }

  private checkGiftRestriction(restriction: Restriction): void {
    if (restriction.kind === 'PROJECT') this.openProject(restriction.projectId, 'restriction.projectId');
  }

  /** The project, which must exist and be open. */
  private openProject(projectId: string, field: string): Project {
    const project = this.projects.get(projectId);
    if (!project) throw new BooksError('NOT_FOUND', `no project "${projectId}" in this charity's books`, field);
    if (project.status !== 'OPEN') {
      throw new BooksError('BAD_USER_INPUT', `project "${projectId}" is closed and takes no new gifts, spending or selections`, field);
    }
    return project;
  }

  private planOpenProject(p: Record<string, unknown>): void {
    const projectId = p.projectId as string;
    if (this.projects.has(projectId)) throw new BooksError('CONFLICT', `project "${projectId}" already exists`, 'projectId');
    this.checkMoney(p.budget as MoneyAmount, 'budget');
  }

  private planCloseProject(p: Record<string, unknown>, effects: EntryEffects): void {
    const project = this.openProject(p.projectId as string, 'projectId');
    effects.projectId = project.projectId;
    const leftover = p.leftover as { handling: string; targetProjectId?: string };
    // the queue may still list lots that have since moved elsewhere (a reversed transfer), once or twice
    const money = [...new Set(this.queueFor(project.projectId).available())]
      .filter((lot) => restrictionOwner(lot.restriction) === project.projectId)
      .map((lot) => ({ fundingSequence: lot.sequence, amount: lot.remaining }));
    const goods = [...this.goodsLots.values()].filter((lot) => lot.projectId === project.projectId && lot.remaining > 0 && !lot.reversed);
    if (leftover.handling === 'TRANSFER_TO_PROJECT') {
      const target = leftover.targetProjectId!;
      if (target === project.projectId) throw new BooksError('BAD_USER_INPUT', 'leftovers go to another project', 'leftover.targetProjectId');
      this.openProject(target, 'leftover.targetProjectId');
      effects.transferredTo = target;
      effects.transferredMoney = money;
      effects.transferredGoods = goods.map((lot) => ({ lotId: lot.lotId, units: lot.remaining }));
    } else if (money.length > 0 || goods.length > 0) {
      const fen = money.reduce((sum, draw) => sum + draw.amount, 0);
      throw new BooksError(
        'BAD_USER_INPUT',
        `project "${project.projectId}" still holds ${this.format(fen)} of restricted money and ${goods.length} goods lots: ` +
          'transfer them to a project with the same or a similar purpose (Art. 58), or refund the donors first',
        'leftover.handling',
      );
    }
  }

  private planProcurement(entry: BookEntry, effects: EntryEffects): void {
    const p = entry.payload;
    const project = this.openProject(p.projectId as string, 'projectId');
    effects.projectId = project.projectId;
    effects.costClass = 'CHARITABLE_ACTIVITY';
    const total = this.checkMoney(p.total as MoneyAmount, 'total');
    effects.moneyDraws = this.drawMoney(project.projectId, total, p.funding as Funding[] | undefined);
    (p.lines as unknown[]).forEach((_line, line) => effects.lotsCreated.push(goodsLotId(entry.sequence, line)));
  }

  private planSelection(p: Record<string, unknown>, effects: EntryEffects): void {
    const project = this.openProject(p.projectId as string, 'projectId');
    effects.projectId = project.projectId;
    const selected = this.selections.get(project.projectId);
    for (const [index, beneficiary] of (p.beneficiaries as Array<{ pseudonym: string }>).entries()) {
      if (effects.selected.includes(beneficiary.pseudonym)) {
        throw new BooksError('BAD_USER_INPUT', `beneficiary ${beneficiary.pseudonym} appears twice in this selection`, `beneficiaries[${index}].pseudonym`);
      }
      if (selected?.has(beneficiary.pseudonym)) {
        throw new BooksError(
          'CONFLICT',
          `beneficiary ${beneficiary.pseudonym} is already selected for project "${project.projectId}"`,
          `beneficiaries[${index}].pseudonym`,
        );
      }
      effects.selected.push(beneficiary.pseudonym);
    }
  }

  private planDisbursement(p: Record<string, unknown>, effects: EntryEffects): void {
    const project = this.openProject(p.projectId as string, 'projectId');
    effects.projectId = project.projectId;
    effects.costClass = 'CHARITABLE_ACTIVITY';
    const pseudonym = p.beneficiary as string;
    const beneficiary = this.selections.get(project.projectId)?.get(pseudonym);
    if (!beneficiary) {
      throw new BooksError('BAD_USER_INPUT', `beneficiary ${pseudonym} was not selected for project "${project.projectId}"`, 'beneficiary');
    }
    effects.beneficiary = pseudonym;
    effects.beneficiaryRegion = beneficiary.region;
    if (p.cash) effects.moneyDraws = this.drawMoney(project.projectId, this.checkMoney(p.cash as MoneyAmount, 'cash'), undefined);
    const goods = (p.goods as Array<{ itemCode: string; quantity: number; fromDonationSequence?: number }> | undefined) ?? [];
    const taken = new Map<GoodsLot, number>();
    goods.forEach((line, index) => {
      effects.goodsDraws.push(...this.drawGoods(project.projectId, line, taken, `goods[${index}]`));
    });
  }

  private planRefund(p: Record<string, unknown>, effects: EntryEffects): void {
    const sequence = p.donationSequence as number;
    const lot = this.moneyLots.get(sequence);
    if (!lot || lot.reversed) throw new BooksError('NOT_FOUND', `no gift of money at sequence ${sequence}`, 'donationSequence');
    if (lot.restriction.kind === 'UNRESTRICTED') {
      throw new BooksError('BAD_USER_INPUT', `gift ${sequence} is unrestricted: only restricted gifts are refunded`, 'donationSequence');
    }
    const amount = this.checkMoney(p.amount as MoneyAmount, 'amount');
    if (amount > lot.remaining) {
      throw new BooksError('INSUFFICIENT_FUNDS', `gift ${sequence} has ${this.format(lot.remaining)} unspent; cannot refund ${this.format(amount)}`, 'amount');
    }
    if (lot.restriction.kind === 'PROJECT') effects.projectId = lot.restriction.projectId;
    effects.moneyDraws = [{ fundingSequence: sequence, amount }];
  }

  private planReversal(p: Record<string, unknown>, effects: EntryEffects): void {
    const sequence = p.reversedSequence as number;
    const targetEffects = this.effects.get(sequence);
    if (!targetEffects) throw new BooksError('NOT_FOUND', `no entry at sequence ${sequence}`, 'sequence');
    if (targetEffects.type === 'ENTRY_REVERSED') throw new BooksError('BAD_USER_INPUT', 'a reversal cannot be reversed; record the entry again instead', 'sequence');
    const by = this.reversedBy.get(sequence);
    if (by !== undefined) throw new BooksError('CONFLICT', `entry ${sequence} was already reversed by entry ${by}`, 'sequence');
    effects.reverses = sequence;
    effects.projectId = targetEffects.projectId;
    const blockers = this.blockersOfReversal(sequence, targetEffects.type, targetEffects);
    if (blockers.length > 0) {
      throw new BooksError(
        'BAD_USER_INPUT',
        `entry ${sequence} is used by entries ${blockers.join(', ')}; reverse those first`,
        'sequence',
      );
    }
  }

  /** Live entries that depend on what the entry created. */
  private blockersOfReversal(sequence: number, type: string, effects: EntryEffects): number[] {
    const live = (sequences: Iterable<number>) => [...sequences].filter((s) => s !== sequence && !this.reversedBy.has(s));
    switch (type) {
      case 'CASH_DONATION':
        return live(this.usedBy.get(sequence) ?? []);
      case 'IN_KIND_DONATION':
      case 'PROCUREMENT_RECORDED':
        return live(effects.lotsCreated.flatMap((lotId) => [...(this.lotUsedBy.get(lotId) ?? [])]));
      case 'BENEFICIARIES_SELECTED':
        return live(effects.selected.flatMap((pseudonym) => [...(this.disbursedTo.get(`${effects.projectId}\u0000${pseudonym}`) ?? [])]));
      case 'PROJECT_OPENED':
        return live(
          [...this.effects.values()].filter((other) => other.projectId === effects.projectId && other.sequence !== sequence).map((other) => other.sequence),
        ).concat(
          [...this.moneyLots.values()]
            .filter((lot) => !lot.reversed && lot.restriction.kind === 'PROJECT' && lot.restriction.projectId === effects.projectId)
            .map((lot) => lot.sequence),
        );
      case 'PROJECT_CLOSED': {
        // the receiving project may since have drawn on what it received
        const since = (users: Iterable<number> | undefined) => live([...(users ?? [])].filter((user) => user > sequence));
        return [
          ...effects.transferredMoney.flatMap((draw) => since(this.usedBy.get(draw.fundingSequence))),
          ...effects.transferredGoods.flatMap((moved) => since(this.lotUsedBy.get(moved.lotId))),
        ];
      }
      default:
        return [];
    }
  }

  /**
   * Money for spending: named funding if given (each gift eligible and sufficient,
   * summing to the amount), otherwise the project's restricted gifts first in
   * first out, then the pool first in first out.
   */
  private drawMoney(projectId: string | null, amount: number, funding: Funding[] | undefined): MoneyDraw[] {
    if (funding && funding.length > 0) {
      const draws: MoneyDraw[] = [];
      let sum = 0;
      funding.forEach((item, index) => {
        const field = `funding[${index}]`;
        const lot = this.moneyLots.get(item.donationSequence);
        if (!lot || lot.reversed) throw new BooksError('NOT_FOUND', `no gift of money at sequence ${item.donationSequence}`, `${field}.donationSequence`);
        const eligible =
          lot.restriction.kind === 'UNRESTRICTED' ||
          lot.restriction.kind === 'PURPOSE' ||
          (lot.restriction.kind === 'PROJECT' && lot.restriction.projectId === projectId);
        if (!eligible) {
          throw new BooksError(
            'BAD_USER_INPUT',
            `gift ${lot.sequence} is restricted to project "${(lot.restriction as { projectId: string }).projectId}"`,
            `${field}.donationSequence`,
          );
        }
        const part = this.checkMoney(item.amount, `${field}.amount`);
        const already = draws.filter((draw) => draw.fundingSequence === lot.sequence).reduce((total, draw) => total + draw.amount, 0);
        if (part + already > lot.remaining) {
          throw new BooksError('INSUFFICIENT_FUNDS', `gift ${lot.sequence} has ${this.format(lot.remaining - already)} left, not ${this.format(part)}`, `${field}.amount`);
        }
        draws.push({ fundingSequence: lot.sequence, amount: part });
        sum += part;
      });
      if (sum !== amount) {
        throw new BooksError('BAD_USER_INPUT', `the funding adds up to ${this.format(sum)}, the amount is ${this.format(amount)}`, 'funding');
      }
      return draws;
    }
    const draws: MoneyDraw[] = [];
    let needed = amount;
    const queues: Array<[string | null, LotQueue<MoneyLot>]> =
      projectId === null ? [[null, this.queueFor(null)]] : [[projectId, this.queueFor(projectId)], [null, this.queueFor(null)]];
    const seen = new Set<MoneyLot>();
    for (const [owner, queue] of queues) {
      for (const lot of queue.available()) {
        if (needed === 0) break;
        // a lot moved between projects (a closed project's leftovers) stays queued where it was
        if (seen.has(lot) || restrictionOwner(lot.restriction) !== owner) continue;
        seen.add(lot);
        const part = Math.min(lot.remaining, needed);
        draws.push({ fundingSequence: lot.sequence, amount: part });
        needed -= part;
      }
    }
    if (needed > 0) {
      const available = amount - needed;
      throw new BooksError(
        'INSUFFICIENT_FUNDS',
        projectId === null
          ? `the unrestricted pool holds ${this.format(available)}; ${this.format(amount)} are needed`
          : `project "${projectId}" has ${this.format(available)} available (its restricted gifts plus the pool); ${this.format(amount)} are needed`,
      );
    }
    return draws;
  }

  /** Goods for a disbursement: first in first out per item code among the lots the project may use. */
  private drawGoods(
    projectId: string,
    line: { itemCode: string; quantity: number; fromDonationSequence?: number },
    taken: Map<GoodsLot, number>,
    field: string,
  ): GoodsDraw[] {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw new BooksError('BAD_USER_INPUT', 'quantity must be a whole number greater than zero', `${field}.quantity`);
    }
    const candidates: GoodsLot[] = [];
    if (line.fromDonationSequence !== undefined) {
      for (const lot of this.goodsLots.values()) {
        if (lot.sourceSequence === line.fromDonationSequence && lot.itemCode === line.itemCode && !lot.reversed && lot.source === 'IN_KIND') {
          const usable = lot.projectId === projectId || lot.restriction.kind !== 'PROJECT';
          if (!usable) throw new BooksError('BAD_USER_INPUT', `gift ${lot.sourceSequence} is restricted to another project`, `${field}.fromDonationSequence`);
          candidates.push(lot);
        }
      }
      if (candidates.length === 0) {
        throw new BooksError('NOT_FOUND', `gift ${line.fromDonationSequence} holds no ${line.itemCode}`, `${field}.fromDonationSequence`);
      }
    } else {
      const queued = [...this.goodsQueue(line.itemCode, projectId).available(), ...this.goodsQueue(line.itemCode, null).available()];
      candidates.push(...new Set(queued.filter((lot) => lot.projectId === projectId || (lot.projectId === null && lot.restriction.kind === 'UNRESTRICTED'))));
    }
    const draws: GoodsDraw[] = [];
    let needed = line.quantity;
    for (const lot of candidates) {
      if (needed === 0) break;
      const left = lot.remaining - (taken.get(lot) ?? 0);
      if (left <= 0) continue;
      const units = Math.min(left, needed);
      draws.push({ lotId: lot.lotId, itemCode: lot.itemCode, units, slices: sliceDraw(lot, (taken.get(lot) ?? 0) * lot.unitValue, units * lot.unitValue) });
      taken.set(lot, (taken.get(lot) ?? 0) + units);
      needed -= units;
    }
    if (needed > 0) {
      throw new BooksError(
        'INSUFFICIENT_GOODS',
        `project "${projectId}" can use ${line.quantity - needed} ${line.itemCode} in stock; ${line.quantity} were asked for`,
        `${field}.quantity`,
      );
    }
    return draws;
  }

  // ---- committing -------------------------------------------------------------

  private takeMoney(effects: EntryEffects): void {
    for (const draw of effects.moneyDraws) {
      this.moneyLots.get(draw.fundingSequence)!.remaining -= draw.amount;
      this.track(this.usedBy, draw.fundingSequence, effects.sequence);
    }
  }

  private giveBackMoney(effects: EntryEffects): void {
    for (const draw of effects.moneyDraws) {
      const lot = this.moneyLots.get(draw.fundingSequence)!;
      lot.remaining += draw.amount;
      this.moneyQueue(lot.restriction)?.restored(lot);
    }
  }

  private takeGoods(effects: EntryEffects): void {
    for (const draw of effects.goodsDraws) {
      const lot = this.goodsLots.get(draw.lotId)!;
      lot.remaining -= draw.units;
      moveSliceValue(lot, draw, -1);
      this.track(this.lotUsedBy, draw.lotId, effects.sequence);
    }
  }

  private giveBackGoods(effects: EntryEffects): void {
    for (const draw of effects.goodsDraws) {
      const lot = this.goodsLots.get(draw.lotId)!;
      lot.remaining += draw.units;
      moveSliceValue(lot, draw, +1);
      this.goodsQueue(lot.itemCode, lot.projectId)?.restored(lot);
    }
  }

  private createProcuredLots(entry: BookEntry, effects: EntryEffects): void {
    const p = entry.payload;
    // the lines are paid in order from the draws in order, so each line's slices say whose money bought it
    const draws = effects.moneyDraws.map((draw) => ({ ...draw }));
    let drawIndex = 0;
    (p.lines as Array<{ itemCode: string; unit: string; quantity: number; unitPrice: MoneyAmount }>).forEach((line, index) => {
      const unitValue = line.unitPrice.minorUnits;
      let cost = unitValue * line.quantity;
      const slices: GoodsLot['slices'] = [];
      while (cost > 0 && drawIndex < draws.length) {
        const draw = draws[drawIndex];
        const part = Math.min(draw.amount, cost);
        slices.push({ fundingSequence: draw.fundingSequence, value: part, remaining: part });
        draw.amount -= part;
        cost -= part;
        if (draw.amount === 0) drawIndex += 1;
      }
      this.addGoodsLot({
        lotId: goodsLotId(entry.sequence, index),
        sourceSequence: entry.sequence,
        line: index,
        source: 'PROCUREMENT',
        itemCode: line.itemCode,
        unit: line.unit,
        projectId: p.projectId as string,
        restriction: { kind: 'PROJECT', projectId: p.projectId as string },
        quantity: line.quantity,
        remaining: line.quantity,
        unitValue,
        cost: unitValue * line.quantity,
        slices,
        reversed: false,
      });
    });
  }

  private moveLeftovers(effects: EntryEffects, from: string | null, to: string | null): void {
    if (!effects.transferredTo || from === null || to === null) return;
    const restriction: Restriction = { kind: 'PROJECT', projectId: to };
    for (const draw of effects.transferredMoney) {
      const lot = this.moneyLots.get(draw.fundingSequence)!;
      lot.restriction = restriction;
      this.moneyQueue(restriction)!.push(lot);
    }
    for (const { lotId } of effects.transferredGoods) {
      const lot = this.goodsLots.get(lotId)!;
      lot.projectId = to;
      lot.restriction = restriction;
      this.goodsQueue(lot.itemCode, to).push(lot);
    }
  }

  private addGoodsLot(lot: GoodsLot): void {
    this.goodsLots.set(lot.lotId, lot);
    if (lot.projectId !== null || lot.restriction.kind === 'UNRESTRICTED') this.goodsQueue(lot.itemCode, lot.projectId).push(lot);
  }

  // ---- queues -------------------------------------------------------------

  private queueFor(projectId: string | null): LotQueue<MoneyLot> {
    const key = projectId ?? POOL;
    let queue = this.moneyQueues.get(key);
    if (!queue) {
      queue = new LotQueue<MoneyLot>();
      this.moneyQueues.set(key, queue);
    }
    return queue;
  }

  /** The FIFO queue a gift of money joins: its project's, the pool's, or none (purpose gifts are drawn only by name). */
  private moneyQueue(restriction: Restriction): LotQueue<MoneyLot> | undefined {
    if (restriction.kind === 'UNRESTRICTED') return this.queueFor(null);
    if (restriction.kind === 'PROJECT') return this.queueFor(restriction.projectId);
    return undefined;
  }

  private goodsQueue(itemCode: string, projectId: string | null): LotQueue<GoodsLot> {
    const key = `${itemCode}\u0000${projectId ?? POOL}`;
    let queue = this.goodsQueues.get(key);
    if (!queue) {
      queue = new LotQueue<GoodsLot>();
      this.goodsQueues.set(key, queue);
    }
    return queue;
  }

  private track<Key>(map: Map<Key, Set<number>>, key: Key, sequence: number): void {
    let set = map.get(key);
    if (!set) {
      set = new Set();
      map.set(key, set);
    }
    set.add(sequence);
  }
}

/** The FIFO queue a gift of money with this restriction belongs to (undefined: drawn only by name). */
function restrictionOwner(restriction: Restriction): string | null | undefined {
  if (restriction.kind === 'UNRESTRICTED') return null;
  if (restriction.kind === 'PROJECT') return restriction.projectId;
  return undefined;
}

/**
 * Splits `total` over parts in proportion to their units, exactly: part i gets
 * floor(total × units up to and including i ÷ all units) − the same up to i − 1.
 */
export function splitByUnits(total: number, units: number[]): number[] {
  const all = BigInt(units.reduce((sum, part) => sum + part, 0));
  if (all === 0n) return units.map(() => 0);
  let before = 0n;
  let given = 0n;
  return units.map((part) => {
    before += BigInt(part);
    const upTo = (BigInt(total) * before) / all;
    const share = upTo - given;
    given = upTo;
    return Number(share);
  });
}

/**
 * What `units` of a goods lot are worth at the lot's cost: exact for procurements
 * (units × unit price); for gifts in kind, the units' share of the item's value,
 * rounded half up to the minor unit.
 */
export function goodsValue(lot: Pick<GoodsLot, 'source' | 'unitValue' | 'cost' | 'quantity'>, units: number): number {
  if (lot.source === 'PROCUREMENT') return units * lot.unitValue;
  if (lot.quantity === 0) return 0;
  const scaled = BigInt(lot.cost) * BigInt(units) * 2n;
  const quantity = BigInt(lot.quantity);
  return Number((scaled + quantity) / (2n * quantity));
}

export function goodsLotId(sequence: number, line: number): string {
  return `${sequence}/${line}`;
}

function emptyEffects(entry: BookEntry): EntryEffects {
  return {
    sequence: entry.sequence,
    type: entry.type,
    occurredAt: entry.occurredAt,
    projectId: null,
    costClass: null,
    moneyDraws: [],
    goodsDraws: [],
    lotsCreated: [],
    beneficiaryRegion: null,
    beneficiary: null,
    selected: [],
    transferredTo: null,
    transferredMoney: [],
    transferredGoods: [],
    reverses: null,
  };
}

/**
 * The gifts behind `value` of a goods lot, starting `offset` into what is left:
 * units leave a lot first in first out through its slices.
 */
function sliceDraw(lot: GoodsLot, offset: number, value: number): Array<{ fundingSequence: number; value: number }> {
  const result: Array<{ fundingSequence: number; value: number }> = [];
  let skip = offset;
  let needed = value;
  for (const slice of lot.slices) {
    if (needed === 0) break;
    let available = slice.remaining;
    const skipped = Math.min(skip, available);
    skip -= skipped;
    available -= skipped;
    if (available <= 0) continue;
    const part = Math.min(available, needed);
    result.push({ fundingSequence: slice.fundingSequence, value: part });
    needed -= part;
  }
  return result;
}

/** Takes (sign −1) or gives back (+1) a draw's value on the slices of the gifts it names. */
function moveSliceValue(lot: GoodsLot, draw: GoodsDraw, sign: 1 | -1): void {
  for (const part of draw.slices) {
    let left = part.value;
    for (const slice of lot.slices) {
      if (left === 0) break;
      if (slice.fundingSequence !== part.fundingSequence) continue;
      const room = sign < 0 ? slice.remaining : slice.value - slice.remaining;
      const moved = Math.min(room, left);
      slice.remaining += sign * moved;
      left -= moved;
    }
  }
}

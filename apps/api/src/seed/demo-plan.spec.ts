import { createHash } from 'node:crypto';
import { Books } from '@charity-ledger/ledger-core';
import { decideSelection, decideDisbursement } from '../beneficiaries/beneficiaries.decide.js';
import { decideEnrollment } from '../beneficiary-records/beneficiary-records.decide.js';
import { decideReversal } from '../corrections/corrections.decide.js';
import { decideCashDonation, decideInKindDonation, refundRequest } from '../donations/donation.decide.js';
import { fixedRequest, type EntryRequest } from '../ledger/ledger.types.js';
import { decideCloseProject, decideOpenProject } from '../projects/project.decide.js';
import { checkProgressReport, decideProgressReport } from '../reports/report.decide.js';
import { decideExpense, decideProcurement } from '../spending/spending.decide.js';
import { PERSON_REFERENCE } from './demo-beneficiaries.js';
import { MAJOR_ILLNESS } from './demo-catalogue.js';
import { demoCharities, planCharity, planFingerprint, plantedDuplicates, type CharityPlan, type DemoOptions, type DemoStep } from './demo-plan.js';

const FULL: DemoOptions = { seed: 'demo-2024', scale: 1, volume: 1 };
const DATE_FIELDS = ['receivedAt', 'purchasedAt', 'incurredAt', 'disbursedAt', 'refundedAt'];
const NOW = new Date('2025-06-01T00:00:00.000Z');

function planAll(options: DemoOptions): CharityPlan[] {
  return demoCharities(options).map((spec) => planCharity(options, spec));
}

/** The request the service would build from a step's input (the same pure decide functions). */
function requestFor(operation: DemoStep['operation'], raw: Record<string, unknown>, charityName: string): EntryRequest {
  const input = Object.fromEntries(Object.entries({ ...raw, charityId: 'charity' }).map(([name, value]) => [name, DATE_FIELDS.includes(name) ? new Date(value as string) : value])) as never;
  const context = { currency: 'CNY', now: NOW };
  const donation = { charity: { id: 'charity', name: charityName, currency: 'CNY' }, now: NOW, newDonorReference: () => 'dnr_AAAAAAAAAAAAAAAAAAAAAA' };
  switch (operation) {
    case 'recordDonations':
    case 'recordDonation':
      return fixedRequest(decideCashDonation(input, donation));
    case 'recordInKindDonation':
      return fixedRequest(decideInKindDonation(input, donation));
    case 'openProject':
      return fixedRequest(decideOpenProject(input, context));
    case 'closeProject':
      return fixedRequest(decideCloseProject(input, context));
    case 'recordProcurement':
      return fixedRequest(decideProcurement(input, context));
    case 'recordExpense':
      return fixedRequest(decideExpense(input, context));
    case 'selectBeneficiaries':
      return fixedRequest(decideSelection(input, context));
    case 'recordDisbursement':
      return fixedRequest(decideDisbursement(input, context));
    case 'refundDonation':
      return refundRequest(input, { currency: 'CNY' }, NOW);
    case 'reverseEntry':
      return fixedRequest(decideReversal(input, NOW));
    case 'publishProgressReport':
      return {
        idempotencyKey: raw.idempotencyKey as string,
        requestHash: '',
        decide: (books) => {
          const project = books.projects.get(raw.projectId as string);
          if (!project) throw new Error(`report on unknown project ${raw.projectId as string}`);
          return decideProgressReport(input, checkProgressReport(input, project, NOW), { method: 'offline' }, NOW);
        },
      };
    case 'enrollBeneficiary':
    case 'uploadMedia':
      throw new Error(`${operation} writes no entry`);
  }
}

/** What an enrollment would answer, for the offline replay: a pseudonym of the service's form, and a commitment. */
function enrolled(input: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(input, (key, value: unknown) => {
      const match = typeof value === 'string' ? PERSON_REFERENCE.exec(value) : null;
      if (!match) return value;
      const digest = createHash('sha256').update(match[1]).digest('hex');
      return key === 'commitment' ? digest : `bnf_${digest.match(/.{16}/g)!.join('_')}`;
    }),
  ) as Record<string, unknown>;
}

/** Replays a charity's plan through the ledger's own books, offline: any entry the service would refuse throws here. */
function replay(plan: CharityPlan): Books {
  const books = new Books('CNY');
  for (const step of plan.steps) {
    if (step.entries === 0) continue;
    step.inputs.forEach((input, index) => {
      const decision = requestFor(step.operation, enrolled(input), plan.spec.name).decide(books);
      books.apply({ sequence: step.firstSequence + index, type: decision.type, occurredAt: decision.occurredAt.toISOString(), payload: decision.payload });
    });
  }
  return books;
}

/** Cash grants of a project that stand (not reversed): count and fen. */
function standingGrants(plan: CharityPlan, projectId: string): { count: number; minorUnits: number } {
  const reversed = new Set(plan.steps.filter((step) => step.operation === 'reverseEntry').map((step) => step.inputs[0].sequence as number));
  let count = 0;
  let minorUnits = 0;
  for (const step of plan.steps) {
    const input = step.inputs[0];
    if (step.operation !== 'recordDisbursement' || input.projectId !== projectId || !input.cash || reversed.has(step.firstSequence)) continue;
    count += 1;
    minorUnits += Math.round(Number(input.cash) * 100);
  }
  return { count, minorUnits };
}

describe('the demo plan', () => {
  const plans = planAll(FULL);

  it('has six charities of the four kinds in six districts', () => {
    expect(plans.map((plan) => plan.spec.kind).sort()).toEqual([
      'NON_PUBLIC_FUNDRAISING_FOUNDATION',
      'PUBLIC_FUNDRAISING_FOUNDATION',
      'PUBLIC_FUNDRAISING_FOUNDATION',
      'SOCIAL_ORGANISATION',
      'SOCIAL_SERVICE_AGENCY',
      'SOCIAL_SERVICE_AGENCY',
    ]);
    expect(new Set(plans.map((plan) => plan.spec.district)).size).toBe(6);
    expect(new Set(plans.map((plan) => plan.spec.creditCode)).size).toBe(6);
  });

  it('gives the major-illness relief fund exactly 1,209 grants and ¥21,997,900.00 in 2024', () => {
    const fund = plans.find((plan) => plan.spec.label === MAJOR_ILLNESS.label)!;
    expect(standingGrants(fund, MAJOR_ILLNESS.projectId)).toEqual({ count: 1_209, minorUnits: 2_199_790_000 });
    expect(fund.facts.grants[MAJOR_ILLNESS.projectId]).toEqual({ count: 1_209, minorUnits: 2_199_790_000 });
    // and the duplicates keyed in by mistake were reversed
    expect(fund.facts.reversals).toBeGreaterThanOrEqual(2);
  });

  it('is accepted entry by entry by the ledger’s own books, and the books agree with the plan’s figures', () => {
    for (const plan of plans) {
      const books = replay(plan);
      expect(books.headSequence).toBe(plan.facts.entries);
      const refunded = [...books.effects.values()].filter((effects) => effects.type === 'DONATION_REFUNDED' && !books.reversedBy.has(effects.sequence));
      expect(refunded.reduce((sum, effects) => sum + effects.moneyDraws[0].amount, 0)).toBe(plan.facts.refundsMinor);
    }
    const all = plans.reduce((sum, plan) => sum + plan.facts.entries, 0);
    expect(all).toBeGreaterThan(20_000);
  });

  it('has gifts of money and goods, restricted and not, purchases, selections, grants and deliveries, expenses of every cost class, reversals, refunds and a closing', () => {
    const total = (pick: (plan: CharityPlan) => number) => plans.reduce((sum, plan) => sum + pick(plan), 0);
    const operations = new Set(plans.flatMap((plan) => plan.steps.map((step) => step.operation)));
    expect([...operations].sort()).toEqual([
      'closeProject',
      'enrollBeneficiary',
      'openProject',
      'publishProgressReport',
      'recordDisbursement',
      'recordDonation',
      'recordDonations',
      'recordExpense',
      'recordInKindDonation',
      'recordProcurement',
      'refundDonation',
      'reverseEntry',
      'selectBeneficiaries',
      'uploadMedia',
    ]);
    const gifts = plans.flatMap((plan) => plan.steps.filter((step) => step.operation === 'recordDonations').flatMap((step) => step.inputs));
    expect(new Set(gifts.map((gift) => (gift.restriction as { kind: string } | undefined)?.kind ?? 'UNRESTRICTED'))).toEqual(new Set(['UNRESTRICTED', 'PROJECT', 'PURPOSE']));
    expect(total((plan) => plan.facts.expensesMinor.MANAGEMENT) * total((plan) => plan.facts.expensesMinor.FUNDRAISING) * total((plan) => plan.facts.expensesMinor.CHARITABLE_ACTIVITY)).toBeGreaterThan(0);
    expect(total((plan) => plan.facts.goodsDeliveries)).toBeGreaterThan(3_000);
    expect(total((plan) => plan.facts.refunds)).toBe(2);
    expect(total((plan) => plan.facts.closedProjects)).toBe(1);
  });

  it('plants the same five people in MEDICAL_AID grants of two charities, and no other cross-charity duplicate', () => {
    const planted = plantedDuplicates(FULL).map((duplicate) => duplicate.personId);
    expect(planted).toHaveLength(5);
    const medicalProjects = new Map(plans.map((plan) => [plan.spec.label, new Set(plan.steps.filter((step) => step.operation === 'openProject' && step.inputs[0].category === 'MEDICAL_AID').map((step) => step.inputs[0].projectId))]));
    const charitiesOf = new Map<string, Set<string>>();
    for (const plan of plans) {
      for (const step of plan.steps) {
        const input = step.inputs[0];
        if (step.operation !== 'recordDisbursement' || !input.cash || !medicalProjects.get(plan.spec.label)!.has(input.projectId)) continue;
        const person = PERSON_REFERENCE.exec(input.beneficiary as string)![1];
        charitiesOf.set(person, (charitiesOf.get(person) ?? new Set()).add(plan.spec.label));
      }
    }
    const duplicates = [...charitiesOf].filter(([, charities]) => charities.size > 1).map(([person]) => person);
    expect(duplicates.sort()).toEqual([...planted].sort());
    // both charities enrol them with the same ID number, so the service gives them the same pseudonym
    const numbers = (label: string) =>
      new Map(
        plans
          .find((plan) => plan.spec.label === label)!
          .steps.filter((step) => step.operation === 'enrollBeneficiary')
          .flatMap((step) => step.people!.map((person, index) => [person, (step.inputs[index].idDocument as { number: string }).number] as const)),
      );
    for (const person of planted) expect(numbers('c1').get(person)).toBe(numbers('c5').get(person));
  });

  it('enrols every person with personal data the service accepts before selecting them, and puts only pseudonym references on the ledger', () => {
    for (const plan of plans) {
      const enrolledPeople = new Set<string>();
      const numbers: string[] = [];
      for (const step of plan.steps) {
        if (step.operation === 'enrollBeneficiary') {
          step.inputs.forEach((input, index) => {
            expect(() => decideEnrollment({ ...input, charityId: 'charity' } as never, NOW)).not.toThrow();
            enrolledPeople.add(step.people![index]);
            numbers.push((input.idDocument as { number: string }).number);
          });
        } else if (step.operation === 'selectBeneficiaries') {
          for (const beneficiary of step.inputs[0].beneficiaries as Array<{ pseudonym: string; commitment: string }>) {
            const person = PERSON_REFERENCE.exec(beneficiary.pseudonym)![1];
            expect(beneficiary.commitment).toBe(beneficiary.pseudonym);
            expect(enrolledPeople.has(person)).toBe(true);
          }
        }
      }
      expect(enrolledPeople.size).toBe(plan.facts.enrolled);
      const ledgerInputs = JSON.stringify(plan.steps.filter((step) => step.operation !== 'enrollBeneficiary').map((step) => step.inputs));
      const idLike = new Set(ledgerInputs.match(/\d{17}[\dX]/g) ?? []);
      expect(numbers.filter((number) => idLike.has(number))).toEqual([]);
    }
  });

  it('publishes a progress report for every quarter each project ran, after the quarter, each with its PDF uploaded first', () => {
    for (const plan of plans) {
      const uploaded = new Set<string>();
      const reports = plan.steps.filter((step) => step.operation === 'publishProgressReport');
      for (const step of plan.steps) {
        if (step.operation === 'uploadMedia') uploaded.add(step.media!.sha256);
        if (step.operation !== 'publishProgressReport') continue;
        const media = step.inputs[0].media as Array<{ sha256: string }>;
        expect(media.every((file) => uploaded.has(file.sha256))).toBe(true);
      }
      expect(reports).toHaveLength(plan.facts.reports);
    }
    const fund = plans.find((plan) => plan.spec.label === MAJOR_ILLNESS.label)!;
    const fundReports = fund.steps.filter((step) => step.operation === 'publishProgressReport' && step.inputs[0].projectId === MAJOR_ILLNESS.projectId).map((step) => step.inputs[0]);
    expect(fundReports.map((report) => report.period)).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
    // the quarters' grants add up to the year's
    const grants = fundReports.map((report) => (report.indicators as Array<{ name: string; actual: string }>).find((indicator) => indicator.name === '现金救助')!.actual);
    expect(grants.reduce((sum, count) => sum + Number(count), 0)).toBe(1_209);
    // the typhoon project ran in the third and fourth quarters only
    expect(plans.find((plan) => plan.spec.label === 'c5')!.steps.filter((step) => step.operation === 'publishProgressReport' && step.inputs[0].projectId === 'P-TAIFENG').map((step) => step.inputs[0].period)).toEqual(['2024-Q3', '2024-Q4']);
  });

  it('is reproducible: the same seed gives the same plan, another seed another, and more copies leave the first six as they were', () => {
    expect(planFingerprint(planAll(FULL))).toBe(planFingerprint(plans));
    expect(planFingerprint(planAll({ ...FULL, seed: 'other' }))).not.toBe(planFingerprint(plans));
    const scaled = planAll({ seed: 'demo-2024', scale: 2, volume: 0.05 });
    expect(scaled).toHaveLength(12);
    expect(planFingerprint(scaled.slice(0, 6))).toBe(planFingerprint(planAll({ seed: 'demo-2024', scale: 1, volume: 0.05 })));
    expect(new Set(scaled.map((plan) => plan.spec.creditCode)).size).toBe(12);
    for (const plan of scaled) replay(plan);
  });
});

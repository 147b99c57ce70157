import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Role } from '../auth/api-key.entity.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { CharitiesService } from '../charities/charities.service.js';
import { CharityEntity } from '../charities/charity.entity.js';
import type { RegisterCharityInput } from '../charities/dto/register-charity.input.js';
import { PERSON_REFERENCE } from './demo-beneficiaries.js';
import { planCharity, type CharityFacts, type CharitySpec, type DemoMedia, type DemoOperation, type DemoOptions, type DemoStep } from './demo-plan.js';

/**
 * Writes the demo plan through the service's real append path: every entry is a
 * GraphQL mutation with the charity's own key (validation, books, hashes, the
 * Merkle log and the read models exactly as for any client), gifts in batches of up
 * to 1,000 (`recordDonations`). People are enrolled with `enrollBeneficiary` before
 * they are first selected, and the pseudonym and commitment the service answers
 * take the place of the plan's `person:<id>`. A charity's steps go one after the
 * other, so each entry gets the sequence the plan gave it (checked); several
 * charities are written at once. Idempotency keys come from the plan and
 * enrollment of the same details is answered with the first one, so a run that
 * stopped can simply be started again: what was written is answered from the
 * ledger, the rest is appended.
 */

export interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }>;
}

export interface DemoTarget {
  /** Registers the charity, or finds it when a run is resumed, and gives a CHARITY key for it. */
  charity(spec: CharitySpec): Promise<{ id: string; apiKey: string; resumed: boolean }>;
  graphql(query: string, variables: Record<string, unknown>, apiKey: string): Promise<GraphQLAnswer>;
  /** POST /media with the charity's key; answers the SHA-256 the service stored the file under. */
  upload(media: DemoMedia, apiKey: string): Promise<string>;
}

export interface EnrolledPerson {
  pseudonym: string;
  commitment: string;
}

export interface SeededCharity {
  spec: CharitySpec;
  id: string;
  resumed: boolean;
  facts: CharityFacts;
  /** person id → what the charity's enrollment of the person answered */
  people: Map<string, EnrolledPerson>;
}

export interface RunOptions {
  /** Charities written at once. */
  concurrency: number;
  /** Only these charity labels (all when absent). */
  labels?: readonly string[];
  /** Called as entries are acknowledged. */
  onEntries?: (count: number) => void;
  /** Enrollments sent at once within one charity (they do not touch its chain). */
  enrollmentConcurrency?: number;
  onCharity?: (charity: SeededCharity) => void;
  /** Stops before the next step when it returns true (Ctrl-C). */
  stopped?: () => boolean;
}

const MUTATIONS: Record<Exclude<DemoOperation, 'uploadMedia'>, string> = {
  publishProgressReport: 'mutation DemoReport($input: PublishProgressReportInput!) { publishProgressReport(input: $input) { sequence } }',
  enrollBeneficiary: 'mutation DemoEnroll($input: EnrollBeneficiaryInput!) { enrollBeneficiary(input: $input) { pseudonym commitment } }',
  recordDonations: 'mutation DemoGifts($inputs: [RecordDonationInput!]!) { recordDonations(inputs: $inputs) { sequence } }',
  recordDonation: 'mutation DemoGift($input: RecordDonationInput!) { recordDonation(input: $input) { sequence } }',
  recordInKindDonation: 'mutation DemoInKind($input: RecordInKindDonationInput!) { recordInKindDonation(input: $input) { sequence } }',
  openProject: 'mutation DemoOpen($input: OpenProjectInput!) { openProject(input: $input) { sequence } }',
  closeProject: 'mutation DemoClose($input: CloseProjectInput!) { closeProject(input: $input) { sequence } }',
  recordProcurement: 'mutation DemoPurchase($input: RecordProcurementInput!) { recordProcurement(input: $input) { sequence } }',
  recordExpense: 'mutation DemoExpense($input: RecordExpenseInput!) { recordExpense(input: $input) { sequence } }',
  selectBeneficiaries: 'mutation DemoSelect($input: SelectBeneficiariesInput!) { selectBeneficiaries(input: $input) { sequence } }',
  recordDisbursement: 'mutation DemoDisburse($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { sequence } }',
  refundDonation: 'mutation DemoRefund($input: RefundDonationInput!) { refundDonation(input: $input) { sequence } }',
  reverseEntry: 'mutation DemoReverse($input: ReverseEntryInput!) { reverseEntry(input: $input) { sequence } }',
};

export class DemoStopped extends Error {
  constructor() {
    super('stopped');
    this.name = 'DemoStopped';
  }
}

/** Plans and writes the charities; returns them in plan order. */
export async function runDemo(options: DemoOptions, specs: readonly CharitySpec[], target: DemoTarget, run: RunOptions): Promise<SeededCharity[]> {
  const chosen = run.labels ? specs.filter((spec) => run.labels!.includes(spec.label)) : [...specs];
  const results = new Array<SeededCharity>(chosen.length);
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < chosen.length && failure === undefined) {
      const index = next++;
      try {
        results[index] = await writeCharity(options, chosen[index], target, run, () => failure !== undefined);
        run.onCharity?.(results[index]);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, run.concurrency) }, worker));
  if (failure !== undefined) throw failure;
  return results;
}

async function writeCharity(options: DemoOptions, spec: CharitySpec, target: DemoTarget, run: RunOptions, failed: () => boolean): Promise<SeededCharity> {
  const plan = planCharity(options, spec);
  const charity = await target.charity(spec);
  const people = new Map<string, EnrolledPerson>();
  const send = async (step: DemoStep, variables: Record<string, unknown>) => {
    const answer = await target.graphql(MUTATIONS[step.operation as keyof typeof MUTATIONS], variables, charity.apiKey);
    if (answer.errors?.length || !answer.data) {
      throw new Error(`${spec.name} (${spec.label}), ${step.operation} at sequence ${step.firstSequence} was refused: ${JSON.stringify(answer.errors ?? answer)}`);
    }
    return answer.data[step.operation];
  };
  for (const step of plan.steps) {
    if (failed() || run.stopped?.()) throw new DemoStopped();
    if (step.operation === 'uploadMedia') {
      const sha256 = await target.upload(step.media!, charity.apiKey);
      if (sha256 !== step.media!.sha256) throw new Error(`${spec.name} (${spec.label}): ${step.media!.fileName} was stored as ${sha256}, the plan expected ${step.media!.sha256}`);
      continue;
    }
    if (step.operation === 'enrollBeneficiary') {
      await inParallel(step.inputs, run.enrollmentConcurrency ?? 8, async (input, index) => {
        const enrolled = (await send(step, { input: { ...input, charityId: charity.id } })) as EnrolledPerson;
        people.set(step.people![index], { pseudonym: enrolled.pseudonym, commitment: enrolled.commitment });
      });
      continue;
    }
    const withCharity = step.inputs.map((input) => ({ ...(step.operation === 'selectBeneficiaries' || step.operation === 'recordDisbursement' ? withPeople(input, people) : input), charityId: charity.id }));
    const entries = (await send(step, step.operation === 'recordDonations' ? { inputs: withCharity } : { input: withCharity[0] })) as { sequence: number } | Array<{ sequence: number }>;
    const sequences = Array.isArray(entries) ? entries.map((entry) => entry.sequence) : [entries.sequence];
    const expected = step.inputs.map((_input, index) => step.firstSequence + index);
    if (sequences.join() !== expected.join()) {
      throw new Error(
        `${spec.name} (${spec.label}), ${step.operation}: the ledger answered sequences ${sequences[0]}…${sequences.at(-1)}, the plan expected ${expected[0]}…${expected.at(-1)}; its chain holds entries the demo did not write`,
      );
    }
    run.onEntries?.(sequences.length);
  }
  return { spec, id: charity.id, resumed: charity.resumed, facts: plan.facts, people };
}

/** The input with each `person:<id>` replaced: by the pseudonym, or in `commitment` by the commitment, the person's enrollment answered. */
function withPeople(input: Record<string, unknown>, people: Map<string, EnrolledPerson>): Record<string, unknown> {
  const resolve = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') {
      const match = PERSON_REFERENCE.exec(value);
      if (!match) return value;
      const person = people.get(match[1]);
      if (!person) throw new Error(`person ${match[1]} is selected or given aid before being enrolled`);
      return key === 'commitment' ? person.commitment : person.pseudonym;
    }
    if (Array.isArray(value)) return value.map((item) => resolve(item, key));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, resolve(item, name)]));
    return value;
  };
  return resolve(input, '') as Record<string, unknown>;
}

/** Runs `work` on every item, at most `limit` at a time; the first failure is thrown once all have settled. */
async function inParallel<Item>(items: readonly Item[], limit: number, work: (item: Item, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const index = next++;
      await work(items[index], index).catch((error: unknown) => {
        failure ??= error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

/**
 * The target inside the service's own process: charities are registered by the
 * charities service (what the ADMIN-only `registerCharity` mutation calls, so no
 * admin key is needed or shown); everything else goes over GraphQL.
 */
export function serviceTarget(app: INestApplicationContext, graphql: DemoTarget['graphql'], upload: DemoTarget['upload']): DemoTarget {
  const charities = app.get(CharitiesService);
  const apiKeys = app.get(ApiKeysService);
  const dataSource = app.get<DataSource>(getDataSourceToken());
  return {
    graphql,
    upload,
    charity: async (spec) => {
      const existing = await dataSource.getRepository(CharityEntity).findOneBy({ creditCode: spec.creditCode });
      if (existing) {
        if (existing.name !== spec.name) {
          throw new Error(`Credit code ${spec.creditCode} is registered to "${existing.name}", not to the demo's "${spec.name}": seed another database, or choose another --seed.`);
        }
        // a resumed run: only the hash of the first key was kept, so the demo takes a new one
        const issued = await dataSource.transaction((manager) => apiKeys.issue(manager, Role.CHARITY, existing.id, 'seed:demo (resumed run)'));
        return { id: existing.id, apiKey: issued.apiKey, resumed: true };
      }
      const input: RegisterCharityInput = { name: spec.name, creditCode: spec.creditCode, kind: spec.kind, currency: 'CNY' };
      const { charity, apiKey } = await charities.register(input);
      return { id: charity.id, apiKey, resumed: false };
    },
  };
}

import { randomBytes } from 'node:crypto';
import type { GraphQLResponse, TestApp } from './test-app.js';

/**
 * A charity's writes over GraphQL, each returning the new entry's sequence and
 * failing the test on any error: fixtures for tests that read what the ledger says.
 */
export interface CharityActions {
  charityId: string;
  apiKey: string;
  /** Sends a mutation with charityId and a fresh idempotencyKey added to the input. */
  send(mutation: string, input: Record<string, unknown>): Promise<GraphQLResponse>;
  openProject(projectId: string, extra?: Record<string, unknown>): Promise<number>;
  donate(amount: string, receivedAt: string, restriction?: Record<string, unknown>): Promise<number>;
  donateInKind(items: Array<{ itemCode: string; quantity: number }>, fairValue: string, receivedAt: string, restriction?: Record<string, unknown>): Promise<number>;
  procure(projectId: string, itemCode: string, quantity: number, unitPrice: string, purchasedAt: string): Promise<number>;
  expense(costClass: string, amount: string, incurredAt: string, projectId?: string): Promise<number>;
  select(projectId: string, beneficiaries: Array<{ pseudonym: string; region: string }>, decidedOn: string): Promise<number>;
  disburse(projectId: string, beneficiary: string, disbursedAt: string, what: { cash?: string; goods?: Array<{ itemCode: string; quantity: number }> }): Promise<number>;
  refund(donationSequence: number, amount: string, refundedAt: string): Promise<number>;
  reverse(sequence: number, reason?: string): Promise<number>;
  /** Uploads a small PDF of its own (POST /media) and returns its SHA-256. */
  uploadMedia(): Promise<string>;
}

const OPEN_PROJECT = `mutation ($input: OpenProjectInput!) { openProject(input: $input) { sequence } }`;
const DONATE = `mutation ($input: RecordDonationInput!) { recordDonation(input: $input) { sequence } }`;
const DONATE_IN_KIND = `mutation ($input: RecordInKindDonationInput!) { recordInKindDonation(input: $input) { sequence } }`;
const PROCURE = `mutation ($input: RecordProcurementInput!) { recordProcurement(input: $input) { sequence } }`;
const EXPENSE = `mutation ($input: RecordExpenseInput!) { recordExpense(input: $input) { sequence } }`;
const SELECT = `mutation ($input: SelectBeneficiariesInput!) { selectBeneficiaries(input: $input) { sequence } }`;
const DISBURSE = `mutation ($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { sequence } }`;
const REFUND = `mutation ($input: RefundDonationInput!) { refundDonation(input: $input) { sequence } }`;
const REVERSE = `mutation ($input: ReverseEntryInput!) { reverseEntry(input: $input) { sequence } }`;

const sha = (character: string) => character.repeat(64);
let counter = 0;

export function charityActions(app: TestApp, charity: { id: string; apiKey: string }): CharityActions {
  const send = (mutation: string, input: Record<string, unknown>) =>
    app.gql(mutation, { input: { charityId: charity.id, idempotencyKey: `k-${++counter}-${randomBytes(4).toString('hex')}`, ...input } }, charity.apiKey);
  const write = async (mutation: string, input: Record<string, unknown>): Promise<number> => {
    const response = await send(mutation, input);
    if (!response.data) throw new Error(`${mutation.slice(0, 60)} … failed: ${JSON.stringify(response.errors)}`);
    return (Object.values(response.data)[0] as { sequence: number }).sequence;
  };
  return {
    charityId: charity.id,
    apiKey: charity.apiKey,
    send,
    openProject: (projectId, extra = {}) =>
      write(OPEN_PROJECT, {
        projectId,
        title: '轮椅进社区',
        purpose: 'Wheelchairs for residents with limited mobility',
        category: 'DISABILITY_SUPPORT',
        region: { code: 'SZ-FUTIAN-YUANLING' },
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        budget: '50000.00',
        currency: 'CNY',
        publicFundraising: true,
        ...extra,
      }),
    donate: (amount, receivedAt, restriction = { kind: 'UNRESTRICTED' }) =>
      write(DONATE, {
        amount,
        currency: 'CNY',
        donor: { name: '张三', publishName: false },
        channel: 'BANK_TRANSFER',
        receivedAt,
        handler: '王会计',
        restriction,
      }),
    donateInKind: (items, fairValue, receivedAt, restriction = { kind: 'UNRESTRICTED' }) =>
      write(DONATE_IN_KIND, {
        items: items.map((item) => ({ ...item, description: item.itemCode, unit: 'piece' })),
        valuationBasis: 'MARKET_PRICE',
        fairValue,
        currency: 'CNY',
        condition: 'NEW',
        donor: { name: '某企业', publishName: true, type: 'ORGANISATION' },
        receivedAt,
        handler: '王会计',
        restriction,
      }),
    procure: (projectId, itemCode, quantity, unitPrice, purchasedAt) =>
      write(PROCURE, {
        projectId,
        supplier: { name: '深圳康复器材有限公司', creditCode: '91350100M000100Y43' },
        lines: [{ description: itemCode, itemCode, quantity, unit: 'piece', unitPrice }],
        total: (Number(unitPrice) * quantity).toFixed(2),
        currency: 'CNY',
        invoice: { sha256: sha('a') },
        purchasedAt,
      }),
    expense: (costClass, amount, incurredAt, projectId) =>
      write(EXPENSE, { costClass, amount, currency: 'CNY', description: 'Office rent', evidenceSha256: sha('e'), incurredAt, ...(projectId ? { projectId } : {}) }),
    select: (projectId, beneficiaries, decidedOn) =>
      write(SELECT, {
        projectId,
        criteria: { text: 'Residents with a disability certificate', version: '2026-1' },
        decisionBody: 'Project committee',
        decidedOn,
        beneficiaries: beneficiaries.map(({ pseudonym, region }) => ({ pseudonym, commitment: sha('c'), region: { code: region } })),
      }),
    disburse: (projectId, beneficiary, disbursedAt, what) =>
      write(DISBURSE, {
        projectId,
        beneficiary,
        ...(what.cash ? { cash: what.cash, currency: 'CNY' } : {}),
        ...(what.goods ? { goods: what.goods } : {}),
        method: 'DELIVERY',
        disbursedAt,
        deliveryEvidenceSha256: sha('d'),
      }),
    refund: (donationSequence, amount, refundedAt) => write(REFUND, { donationSequence, amount, currency: 'CNY', reason: 'Donor asked', refundedAt }),
    reverse: (sequence, reason = '更正：误录') => write(REVERSE, { sequence, reason }),
    uploadMedia: async () => {
      const pdf = Buffer.from(`%PDF-1.4\n% ${randomBytes(16).toString('hex')}\n%%EOF\n`, 'latin1');
      const response = await app
        .http()
        .post('/media')
        .set('authorization', `Bearer ${charity.apiKey}`)
        .attach('file', pdf, { filename: 'evidence.pdf', contentType: 'application/pdf' });
      if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${JSON.stringify(response.body)}`);
      return (response.body as { sha256: string }).sha256;
    },
  };
}

import { randomBytes } from 'node:crypto';
import { creditCodeCheckCharacter } from '../../apps/api/src/charities/unified-social-credit-code.js';
import type { GraphQLClient } from './graphql-client.js';

export interface BenchCharity {
  id: string;
  name: string;
  apiKey: string;
}

export interface ChainVerification {
  valid: boolean;
  length: number;
  headHash: string;
  firstInvalidSequence: number | null;
  reason: string | null;
}

/** What a client needs back to keep as its receipt: where the entry went and its hash. */
const ENTRY_FIELDS = 'position sequence hash';

export const RECORD_DONATION = `
  mutation BenchRecordDonation($input: RecordDonationInput!) {
    recordDonation(input: $input) { ${ENTRY_FIELDS} }
  }`;

export const RECORD_DONATIONS = `
  mutation BenchRecordDonations($inputs: [RecordDonationInput!]!) {
    recordDonations(inputs: $inputs) { ${ENTRY_FIELDS} }
  }`;

const REGISTER_CHARITY = `
  mutation BenchRegister($input: RegisterCharityInput!) {
    registerCharity(input: $input) { charity { id name } apiKey }
  }`;

const VERIFY_CHAIN = `
  query BenchVerify($charityId: ID!) {
    verifyChain(charityId: $charityId) { valid length headHash firstInvalidSequence reason }
  }`;

export interface EntryReceipt {
  position: number;
  sequence: number;
  hash: string;
}

/** A valid unified social credit code (统一社会信用代码), unique within this run. */
function creditCode(ordinal: number): string {
  const first17 = `534403${randomBytes(2).readUInt16BE(0).toString().padStart(5, '0')}${ordinal.toString().padStart(4, '0')}MJ`;
  return first17 + creditCodeCheckCharacter(first17);
}

export async function registerCharity(client: GraphQLClient, adminKey: string, ordinal: number, label: string): Promise<BenchCharity> {
  const name = `基准测试慈善基金会 ${ordinal} (${label})`;
  const { data } = await client.request<{ registerCharity: { charity: { id: string }; apiKey: string } }>(
    'registerCharity',
    REGISTER_CHARITY,
    { input: { name, creditCode: creditCode(ordinal), kind: 'PUBLIC_FUNDRAISING_FOUNDATION' } },
    adminKey,
  );
  return { id: data.registerCharity.charity.id, name, apiKey: data.registerCharity.apiKey };
}

export async function verifyChain(client: GraphQLClient, charityId: string): Promise<ChainVerification> {
  const { data } = await client.request<{ verifyChain: ChainVerification }>('verifyChain', VERIFY_CHAIN, { charityId });
  return data.verifyChain;
}

/** A gift of money like a bank transfer the charity books; the donor's name stays private. */
export function donationInput(charityId: string, idempotencyKey: string, receivedAt: string, amountCents: number): Record<string, unknown> {
  return {
    charityId,
    idempotencyKey,
    amount: `${Math.floor(amountCents / 100)}.${(amountCents % 100).toString().padStart(2, '0')}`,
    currency: 'CNY',
    donor: { name: '张三', publishName: false },
    channel: 'BANK_TRANSFER',
    receivedAt,
    handler: '王会计',
  };
}

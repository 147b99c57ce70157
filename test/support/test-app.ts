import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig, type AppConfig } from '../../apps/api/src/config/app-config.js';
import { createService, type Service } from '../../apps/api/src/service.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface GraphQLResponse<Data = Record<string, any>> {
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }>;
}

export interface TestApp {
  service: Service;
  db: TestDatabase;
  adminKey: string;
  /** POSTs a GraphQL operation over HTTP, with `Authorization: Bearer <key>` when a key is given. */
  gql<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, key?: string): Promise<GraphQLResponse<Data>>;
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * The real service over HTTP on this file's own database, migrated by the service's
 * own start-up; `settings` override the test defaults (e.g. a small MEDIA_MAX_BYTES).
 */
export async function startTestApp(settings: Partial<AppConfig> = {}): Promise<TestApp> {
  const db = await createTestDatabase(false);
  const adminKey = `test-admin-${randomBytes(24).toString('hex')}`;
  // keep what the service writes to its data directory (the checkpoint signing key) out of the checkout
  const dataDir = await mkdtemp(join(tmpdir(), 'charity-ledger-app-'));
  const config = loadConfig({}, { databaseUrl: db.ownerUrl, adminApiKey: adminKey, logLevel: 'error', dataDir, ...settings });
  const service = await createService(config);
  await service.ensureAdminKey();
  return {
    service,
    db,
    adminKey,
    ...overHttp(service),
    close: async () => {
      await service.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** HTTP and GraphQL calls to the service's own server (supertest). */
export function overHttp(service: Service): Pick<TestApp, 'http' | 'gql'> {
  const server = service.app.getHttpServer();
  return {
    http: () => request(server),
    gql: async (query, variables, key) => {
      let call = request(server).post('/graphql').set('content-type', 'application/json');
      if (key) call = call.set('authorization', `Bearer ${key}`);
      return (await call.send({ query, variables })).body;
    },
  };
}

export function codeOf(response: GraphQLResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

let creditCodeCounter = 0;

/** A valid unified social credit code, unique per call within a test file. */
export function newCreditCode(): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  creditCodeCounter += 1;
  const serial = (Date.now() % 1e6).toString().padStart(6, '0') + creditCodeCounter.toString().padStart(3, '0');
  const first17 = `534403${serial}MJ`.slice(0, 17);
  const sum = [...first17].reduce((total, character, index) => total + alphabet.indexOf(character) * weights[index], 0);
  return first17 + alphabet[(31 - (sum % 31)) % 31];
}

export const REGISTER_CHARITY = `
  mutation Register($input: RegisterCharityInput!) {
    registerCharity(input: $input) { charity { id name creditCode kind currency } apiKey }
  }`;

export async function registerCharity(app: TestApp, name = '深圳市测试慈善基金会'): Promise<{ id: string; apiKey: string }> {
  const response = await app.gql<{ registerCharity: { charity: { id: string }; apiKey: string } }>(
    REGISTER_CHARITY,
    { input: { name, creditCode: newCreditCode(), kind: 'PUBLIC_FUNDRAISING_FOUNDATION' } },
    app.adminKey,
  );
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return { id: response.data.registerCharity.charity.id, apiKey: response.data.registerCharity.apiKey };
}

export const RECORD_DONATION = `
  mutation Record($input: RecordDonationInput!) {
    recordDonation(input: $input) { position sequence type charityId occurredAt recordedAt actorKeyId prevHash hash canonicalJson payload }
  }`;

let idempotencyCounter = 0;

export function donationInput(charityId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  idempotencyCounter += 1;
  return {
    charityId,
    idempotencyKey: `gift-${Date.now()}-${idempotencyCounter}-${randomBytes(3).toString('hex')}`,
    amount: '100.00',
    currency: 'CNY',
    donor: { name: '张三', publishName: false },
    channel: 'BANK_TRANSFER',
    receivedAt: '2026-11-01T09:30:00.000Z',
    handler: '王会计',
    ...overrides,
  };
}

export async function chainLength(app: TestApp, charityId: string): Promise<number> {
  const rows = await app.db.query<{ n: string }>('SELECT count(*) AS n FROM ledger_entry WHERE charity_id = $1', [charityId]);
  return Number(rows[0].n);
}

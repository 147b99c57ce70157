import { GraphQLSchemaHost } from '@nestjs/graphql';
import { parse, validate, type FieldNode, type OperationDefinitionNode } from 'graphql';
import type { AddressInfo } from 'node:net';
import { EXPLORER_TABS, SAVED_OPERATIONS, type SavedOperation } from '../apps/api/src/explorer/saved-operations.js';
import { subscribe, waitForFeed } from './support/live-client.js';
import { donationInput, RECORD_DONATION, startTestApp, type TestApp } from './support/test-app.js';

function operationOf(operation: SavedOperation): OperationDefinitionNode {
  return parse(operation.query).definitions[0] as OperationDefinitionNode;
}

/** The explorer's saved examples must work against the real schema, as a newcomer would run them. */
describe('explorer saved operations', () => {
  let app: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    app = await startTestApp();
    // subscriptions need a real socket: the explorer opens a WebSocket to /graphql
    await app.service.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.service.app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  it('are all valid against the service schema', () => {
    const { schema } = app.service.app.get(GraphQLSchemaHost);
    for (const tab of EXPLORER_TABS) {
      expect(validate(schema, parse(tab.query)).map((error) => error.message)).toEqual([]);
    }
  });

  it('run in order with the keys they ask for: register, issue, record, read, verify; then the live feed', async () => {
    const keys: Record<string, string | undefined> = { ADMIN: app.adminKey };
    let charityId = '';
    let receiptCode = '';
    let complianceChecked = false;
    const variablesOf = (operation: SavedOperation) =>
      JSON.parse(
        JSON.stringify(operation.variables ?? {}).replaceAll('PASTE-CHARITY-ID', charityId).replaceAll('PASTE-RECEIPT-CODE', receiptCode),
      ) as Record<string, unknown>;
    const subscriptions = SAVED_OPERATIONS.filter((operation) => operationOf(operation).operation === 'subscription');
    for (const operation of SAVED_OPERATIONS) {
      if (subscriptions.includes(operation)) continue;
      const response = await app.gql(operation.query, variablesOf(operation), keys[operation.role]);
      expect({ example: operation.name, errors: response.errors }).toEqual({ example: operation.name, errors: undefined });
      const data = response.data!;
      if (data.registerCharity) {
        charityId = data.registerCharity.charity.id;
        keys.CHARITY = data.registerCharity.apiKey;
      }
      if (data.issueApiKey) keys.REGULATOR = data.issueApiKey.apiKey;
      if (data.recordDonation) receiptCode = data.recordDonation.receiptCode;
      if (data.traceDonation) expect(data.traceDonation.uses).toEqual([expect.objectContaining({ type: 'PROCUREMENT_RECORDED', amount: { amount: '400.00' } })]);
      if (data.verifyChain) expect(data.verifyChain).toMatchObject({ valid: true, length: 7 });
      if (data.disclosures && operation.role === 'PUBLIC') {
        // one person reached in Futian in November: a small cell, hidden from the public
        expect(data.disclosures).toMatchObject({ exact: false });
        expect(data.disclosures.cells).toContainEqual(expect.objectContaining({ month: '2026-11', districtName: '福田区', suppressed: true, figures: null }));
      }
      if (data.disclosures && operation.role === 'REGULATOR') {
        expect(data.disclosures.exact).toBe(true);
        expect(data.disclosures.cells).toContainEqual(expect.objectContaining({ quarter: '2026-Q4', figures: expect.objectContaining({ beneficiariesReached: 1 }) }));
      }
      if (data.progressReports) expect(data.progressReports.edges).toEqual([expect.objectContaining({ node: expect.objectContaining({ period: '2026-10' }) })]);
      if (data.disclosureSchedule) expect(data.disclosureSchedule.obligations[0]).toMatchObject({ kind: 'PERIODIC', status: 'MET' });
      if (data.overdueDisclosures) expect(Array.isArray(data.overdueDisclosures)).toBe(true);
      if (data.complianceReport) {
        // the example charity's ledger starts in 2026: the spending minimum needs a previous year
        expect(data.complianceReport.rules.map((rule: { status: string }) => rule.status)).toEqual(['INSUFFICIENT_DATA', 'PASS']);
        complianceChecked = true;
      }
    }
    expect(keys.CHARITY).toBeDefined();
    expect(keys.REGULATOR).toBeDefined();
    expect(complianceChecked).toBe(true);

    // Each subscription over graphql-ws, as the explorer runs it: subscribe, make
    // something happen, and see the first event arrive.
    const triggers: Record<string, () => Promise<unknown>> = {
      ledgerEntryAdded: () => app.gql(RECORD_DONATION, { input: donationInput(charityId) }, keys.CHARITY),
      checkpointPublished: async () => {
        await app.gql(RECORD_DONATION, { input: donationInput(charityId) }, keys.CHARITY);
        return app.gql('mutation { publishCheckpoint { treeSize } }', {}, keys.ADMIN);
      },
    };
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const operation of subscriptions) {
      const field = (operationOf(operation).selectionSet.selections[0] as FieldNode).name.value;
      expect({ example: operation.name, trigger: field in triggers }).toEqual({ example: operation.name, trigger: true });
      const headers = keys[operation.role] ? { authorization: `Bearer ${keys[operation.role]}` } : undefined;
      const live = subscribe(baseUrl, operation.query, variablesOf(operation), headers);
      try {
        await waitForFeed(app.service, `the subscription of "${operation.name}"`, (status) => status.entrySubscribers + status.checkpointSubscribers === 1);
        await triggers[field]();
        const [first] = await live.waitFor(1);
        expect({ example: operation.name, errors: first.errors }).toEqual({ example: operation.name, errors: undefined });
        expect(first.data![field]).toEqual(expect.any(Object));
      } finally {
        await live.dispose();
      }
      await waitForFeed(app.service, 'the subscription to end', (status) => status.entrySubscribers + status.checkpointSubscribers === 0);
    }
  });
});

import { publishCheckpoint, runVerifier, startTransparencyApp, type TransparencyApp } from './support/transparency-app.js';
import { donationInput, RECORD_DONATION, registerCharity } from './support/test-app.js';

const NOW = () => new Date(Date.now() - 60_000).toISOString();
const sha = (character: string) => character.repeat(64);

/** `verify trace` recomputes a gift's trace from the chain and catches a service that answers otherwise. */
describe('charity-ledger-verify trace', () => {
  let app: TransparencyApp;
  let charity: { id: string; apiKey: string };
  let receiptCode: string;

  beforeAll(async () => {
    app = await startTransparencyApp();
    charity = await registerCharity(app, '追溯核验基金会');
    const as = (query: string, input: Record<string, unknown>) =>
      app.gql(query, { input: { charityId: charity.id, idempotencyKey: `k-${Math.random()}`, ...input } }, charity.apiKey);
    await as(`mutation($input: OpenProjectInput!) { openProject(input: $input) { sequence } }`, {
      projectId: 'P-1',
      title: 't',
      purpose: 'p',
      category: 'ELDERLY_CARE',
      region: { code: 'SZ-NANSHAN-SHEKOU' },
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      budget: '1000.00',
      currency: 'CNY',
      publicFundraising: false,
    });
    const gift = await app.gql(
      RECORD_DONATION.replace('payload }', 'payload receiptCode }'),
      { input: donationInput(charity.id, { amount: '250.00', restriction: { kind: 'PROJECT', projectId: 'P-1' } }) },
      charity.apiKey,
    );
    receiptCode = gift.data!.recordDonation.receiptCode;
    await app.gql(RECORD_DONATION, { input: donationInput(charity.id, { amount: '100.00' }) }, charity.apiKey);
    await as(`mutation($input: RecordProcurementInput!) { recordProcurement(input: $input) { sequence } }`, {
      projectId: 'P-1',
      supplier: { name: 's', creditCode: '91350100M000100Y43' },
      lines: [{ description: 'Rice, 5 kg', itemCode: 'RICE-5KG', quantity: 3, unit: 'bag', unitPrice: '100.00' }],
      total: '300.00',
      currency: 'CNY',
      invoice: { sha256: sha('a') },
      purchasedAt: NOW(),
    });
    await as(`mutation($input: SelectBeneficiariesInput!) { selectBeneficiaries(input: $input) { sequence } }`, {
      projectId: 'P-1',
      criteria: { text: 'x', version: '1' },
      decisionBody: 'committee',
      decidedOn: '2026-02-01',
      beneficiaries: [{ pseudonym: 'ps-elder-01', commitment: sha('c'), region: { code: 'SZ-NANSHAN-SHEKOU' } }],
    });
    const delivery = await as(`mutation($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { sequence } }`, {
      projectId: 'P-1',
      beneficiary: 'ps-elder-01',
      goods: [{ itemCode: 'RICE-5KG', quantity: 2 }],
      method: 'IN_PERSON',
      disbursedAt: NOW(),
      deliveryEvidenceSha256: sha('d'),
    });
    await as(`mutation($input: ReverseEntryInput!) { reverseEntry(input: $input) { sequence } }`, { sequence: delivery.data!.recordDisbursement.sequence, reason: 'wrong count' });
    // exports end with the checkpoint that covers them
    await publishCheckpoint(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('confirms a trace that matches the chain', async () => {
    const run = await runVerifier(['trace', app.baseUrl, '--receipt', receiptCode, '--json']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.json).toMatchObject({ ok: true, command: 'trace', entries: 7, differences: [] });
    const human = await runVerifier(['trace', app.baseUrl, '--receipt', receiptCode]);
    expect(human.stdout).toContain('OK  the trace of gift');
  });

  it('reports a service whose read models say otherwise', async () => {
    // a rogue operator (or a bug) changes what the trace is built from, not the chain
    await app.db.query(`UPDATE book_draw SET value = value - 1000 WHERE charity_id = $1 AND kind = 'MONEY'`, [charity.id]);
    const run = await runVerifier(['trace', app.baseUrl, '--receipt', receiptCode, '--json']);
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ ok: false, failure: { code: 'TRACE_MISMATCH' } });
    expect((run.json as { failure: { reason: string } }).failure.reason).toContain('uses');
    await app.db.query(`UPDATE book_draw SET value = value + 1000 WHERE charity_id = $1 AND kind = 'MONEY'`, [charity.id]);
  });

  it('refuses to vouch for a chain whose bytes were changed', async () => {
    await app.db.query('ALTER TABLE ledger_entry DISABLE TRIGGER USER');
    try {
      await app.db.query(
        `UPDATE ledger_entry SET canonical_json = convert_to(replace(convert_from(canonical_json, 'UTF8'), '"minorUnits":10000', '"minorUnits":90000'), 'UTF8')
          WHERE charity_id = $1 AND sequence = 3`,
        [charity.id],
      );
      const run = await runVerifier(['trace', app.baseUrl, '--receipt', receiptCode, '--json']);
      expect(run.code).toBe(1);
      expect(run.json).toMatchObject({ ok: false, failure: { code: 'CHAIN_BROKEN' } });
    } finally {
      await app.db.query('ALTER TABLE ledger_entry ENABLE TRIGGER USER');
    }
  });

  it('says clearly when the receipt is unknown', async () => {
    const run = await runVerifier(['trace', app.baseUrl, '--receipt', 'RC-0000-0000-0000-0000-0000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No gift has this receipt code');
  });
});

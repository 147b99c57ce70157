import { sealEntry, sha256Hex } from '@charity-ledger/ledger-core';
import { createMigrationDataSource } from '../migrations/index.js';
import { donationInput, RECORD_DONATION, registerCharity, startTestApp, type TestApp } from './support/test-app.js';

const VERIFY = `query Verify($charityId: ID!) { verifyChain(charityId: $charityId) { valid length headHash firstInvalidSequence reason } }`;

describe('ledger integrity', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  async function recordMany(charity: { id: string; apiKey: string }, count: number) {
    return Promise.all(
      Array.from({ length: count }, (_, index) =>
        app.gql(RECORD_DONATION, { input: donationInput(charity.id, { amount: `${index + 1}.00` }) }, charity.apiKey),
      ),
    );
  }

  it('gives 64 concurrent appends to one charity sequences 1..64 and a valid chain', async () => {
    const charity = await registerCharity(app);
    const responses = await recordMany(charity, 64);
    expect(responses.filter((response) => response.errors)).toEqual([]);
    const sequences = responses.map((response) => response.data!.recordDonation.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 64 }, (_, index) => index + 1));
    const verified = (await app.gql(VERIFY, { charityId: charity.id })).data!.verifyChain;
    expect(verified).toMatchObject({ valid: true, length: 64, firstInvalidSequence: null });
    const rows = await app.db.query('SELECT count(DISTINCT position) AS positions, count(*) AS entries FROM ledger_entry WHERE charity_id = $1', [
      charity.id,
    ]);
    expect(rows[0]).toEqual({ positions: '64', entries: '64' });
  });

  it('keeps positions gapless across charities appending at once', async () => {
    const charities = await Promise.all([registerCharity(app), registerCharity(app), registerCharity(app)]);
    await Promise.all(charities.map((charity) => recordMany(charity, 20)));
    const [{ max, count }] = await app.db.query('SELECT max(position) AS max, count(*) AS count FROM ledger_entry');
    expect(max).toBe(count);
    for (const charity of charities) {
      expect((await app.gql(VERIFY, { charityId: charity.id })).data!.verifyChain).toMatchObject({ valid: true, length: 20 });
    }
  });

  describe('after a superuser disables the triggers and edits history', () => {
    let charity: { id: string; apiKey: string };

    beforeEach(async () => {
      charity = await registerCharity(app);
      for (let index = 1; index <= 5; index++) {
        await app.gql(RECORD_DONATION, { input: donationInput(charity.id, { amount: `${index}00.00` }) }, charity.apiKey);
      }
      expect((await app.gql(VERIFY, { charityId: charity.id })).data!.verifyChain.valid).toBe(true);
      await app.db.query('ALTER TABLE ledger_entry DISABLE TRIGGER USER');
    });

    afterEach(async () => {
      await app.db.query('ALTER TABLE ledger_entry ENABLE TRIGGER USER');
    });

    it('names the entry whose stored amount was edited', async () => {
      await app.db.query(
        `UPDATE ledger_entry SET payload = jsonb_set(payload, '{amount,minorUnits}', '99999900')
          WHERE charity_id = $1 AND sequence = 3`,
        [charity.id],
      );
      const result = (await app.gql(VERIFY, { charityId: charity.id })).data!.verifyChain;
      expect(result).toMatchObject({ valid: false, length: 2, firstInvalidSequence: 3 });
      expect(result.reason).toContain('payload');
    });

    it('names the entry whose hashed bytes were edited', async () => {
      await app.db.query(
        `UPDATE ledger_entry SET canonical_json = convert_to(replace(convert_from(canonical_json, 'UTF8'), '"minorUnits":30000', '"minorUnits":90000'), 'UTF8')
          WHERE charity_id = $1 AND sequence = 3`,
        [charity.id],
      );
      const result = (await app.gql(VERIFY, { charityId: charity.id })).data!.verifyChain;
      expect(result).toMatchObject({ valid: false, firstInvalidSequence: 3 });
      expect(result.reason).toContain('SHA-256');
    });

    it('catches a rewrite of bytes and hash at the next link', async () => {
      const [row] = await app.db.query<{ canonical_json: Buffer }>(
        'SELECT canonical_json FROM ledger_entry WHERE charity_id = $1 AND sequence = 3',
        [charity.id],
      );
      const forged = Buffer.from(row.canonical_json.toString('utf8').replace('"minorUnits":30000', '"minorUnits":90000'));
      await app.db.query(
        `UPDATE ledger_entry SET canonical_json = $2, hash = $3, payload = convert_from($2, 'UTF8')::jsonb -> 'payload'
          WHERE charity_id = $1 AND sequence = 3`,
        [charity.id, forged, sha256Hex(forged)],
      );
      const result = (await app.gql(VERIFY, { charityId: charity.id })).data!.verifyChain;
      expect(result).toMatchObject({ valid: false, length: 3, firstInvalidSequence: 4 });
      expect(result.reason).toContain('does not link');
    });

    it('notices a deleted entry', async () => {
      await app.db.query('DELETE FROM donor_identity WHERE charity_id = $1 AND sequence = 2', [charity.id]);
      await app.db.query('DELETE FROM ledger_entry WHERE charity_id = $1 AND sequence = 2', [charity.id]);
      const result = (await app.gql(VERIFY, { charityId: charity.id })).data!.verifyChain;
      expect(result).toMatchObject({ valid: false, firstInvalidSequence: 2 });
      expect(result.reason).toContain('missing');
    });
  });

  describe('append-only in the database', () => {
    let charity: { id: string; apiKey: string };

    beforeAll(async () => {
      charity = await registerCharity(app);
      await recordMany(charity, 2);
    });

    it.each([
      ['UPDATE', `UPDATE ledger_entry SET type = 'X' WHERE charity_id = $1`],
      ['DELETE', `DELETE FROM ledger_entry WHERE charity_id = $1`],
    ])('refuses %s for the service role (no privilege) and for the owner (trigger)', async (_operation, sql) => {
      await expect(app.db.queryAsApp(sql, [charity.id])).rejects.toThrow(/permission denied/);
      await expect(app.db.query(sql, [charity.id])).rejects.toThrow(/append-only/);
      expect(Number((await app.db.query('SELECT count(*) AS n FROM ledger_entry WHERE charity_id = $1', [charity.id]))[0].n)).toBe(2);
    });

    it('refuses TRUNCATE for the service role and for the owner', async () => {
      await expect(app.db.queryAsApp('TRUNCATE ledger_entry CASCADE')).rejects.toThrow(/permission denied/);
      await expect(app.db.query('TRUNCATE ledger_entry CASCADE')).rejects.toThrow(/append-only/);
      expect(Number((await app.db.query('SELECT count(*) AS n FROM ledger_entry'))[0].n)).toBeGreaterThan(0);
    });

    it('runs the service as the least-privilege role', async () => {
      const privileges = await app.db.query<{ privilege_type: string }>(
        `SELECT privilege_type FROM information_schema.role_table_grants
          WHERE grantee = 'charity_ledger_app' AND table_name = 'ledger_entry' ORDER BY privilege_type`,
      );
      expect(privileges.map((row) => row.privilege_type)).toEqual(['INSERT', 'SELECT']);
    });

    it('refuses an inserted entry that breaks the chain, even from the owner', async () => {
      const [head] = await app.db.query<{ sequence: string; hash: string; position: string; actor_key_id: string }>(
        `SELECT sequence, hash, actor_key_id, (SELECT max(position) FROM ledger_entry) AS position
           FROM ledger_entry WHERE charity_id = $1 ORDER BY sequence DESC LIMIT 1`,
        [charity.id],
      );
      const insert = (fields: { sequence: number; prevHash: string; position: number }, tamperHash = false) => {
        const sealed = sealEntry({
          charityId: charity.id,
          sequence: fields.sequence,
          type: 'CASH_DONATION',
          occurredAt: '2026-11-01T00:00:00.000Z',
          recordedAt: '2026-11-01T00:00:00.000Z',
          actorKeyId: head.actor_key_id,
          prevHash: fields.prevHash,
          payload: { forged: true },
        });
        return app.db.query(
          `INSERT INTO ledger_entry (position, charity_id, sequence, type, occurred_at, recorded_at, actor_key_id, canonical_json, payload, prev_hash, hash, idempotency_key, request_hash)
           VALUES ($1, $2, $3, 'CASH_DONATION', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', $4, $5, '{"forged": true}', $6, $7, $8, $7)`,
          [fields.position, charity.id, fields.sequence, head.actor_key_id, sealed.canonicalBytes, fields.prevHash, tamperHash ? '0'.repeat(64) : sealed.hash, `forged-${Math.random()}`],
        );
      };
      const next = Number(head.sequence) + 1;
      const position = Number(head.position) + 1;
      await expect(insert({ sequence: next, prevHash: '1'.repeat(64), position })).rejects.toThrow(/does not extend the chain/);
      await expect(insert({ sequence: next + 1, prevHash: head.hash, position })).rejects.toThrow(/does not extend the chain/);
      await expect(insert({ sequence: next, prevHash: head.hash, position: position + 5 })).rejects.toThrow(/next global position/);
      await expect(insert({ sequence: next, prevHash: head.hash, position }, true)).rejects.toThrow(/SHA-256/);
      // and the well-formed one is accepted, so the refusals above were for the stated reasons
      await insert({ sequence: next, prevHash: head.hash, position });
      expect((await app.gql(VERIFY, { charityId: charity.id })).data!.verifyChain).toMatchObject({ valid: true, length: next });
    });
  });

  it('has migrations that match the entities exactly (no schema drift)', async () => {
    const dataSource = createMigrationDataSource(app.db.ownerUrl);
    await dataSource.initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});

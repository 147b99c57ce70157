import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canonicalLedgerBytes, sha256Hex } from '@charity-ledger/ledger-core';
import { codeOf, donationInput, RECORD_DONATION, registerCharity } from './support/test-app.js';
import { publishCheckpoint, runVerifier, startTransparencyApp, type TransparencyApp } from './support/transparency-app.js';

// The standalone verifier (apps/verifier) against the real service: a clean log
// verifies; then a superuser rewrites history in ways the database's own checks and
// verifyChain cannot see, and the verifier, holding an earlier checkpoint, names the
// first position that changed.

const VERIFY_CHAIN = `query Verify($id: ID!) { verifyChain(charityId: $id) { valid length } }`;

interface Seeded {
  charities: Array<{ id: string; apiKey: string }>;
  /** Position of each (charity index, sequence), as recorded. */
  positionOf: (charity: number, sequence: number) => number;
}

/** Two charities, 8 gifts each, interleaved, so that each chain's positions are not contiguous. */
async function seed(app: TransparencyApp): Promise<Seeded> {
  const charities = [await registerCharity(app, '深圳市甲慈善基金会'), await registerCharity(app, '深圳市乙慈善基金会')];
  const positions = new Map<string, number>();
  for (let round = 1; round <= 8; round++) {
    for (const [index, charity] of charities.entries()) {
      const response = await app.gql(RECORD_DONATION, { input: donationInput(charity.id, { amount: `${round}00.00` }) }, charity.apiKey);
      if (!response.data) throw new Error(JSON.stringify(response.errors));
      positions.set(`${index}:${response.data.recordDonation.sequence}`, response.data.recordDonation.position);
    }
  }
  return { charities, positionOf: (charity, sequence) => positions.get(`${charity}:${sequence}`)! };
}

/**
 * What a rogue superuser does: triggers off, one amount changed, and every later
 * hash and link of that chain recomputed, so that the chain verifies again.
 */
async function rewriteChainFrom(app: TransparencyApp, charityId: string, sequence: number): Promise<void> {
  await app.db.query('ALTER TABLE ledger_entry DISABLE TRIGGER USER');
  try {
    const [previous] = await app.db.query<{ hash: string }>('SELECT hash FROM ledger_entry WHERE charity_id = $1 AND sequence = $2', [charityId, sequence - 1]);
    let prevHash = previous.hash;
    const rows = await app.db.query<{ sequence: string; canonical_json: Buffer }>(
      'SELECT sequence, canonical_json FROM ledger_entry WHERE charity_id = $1 AND sequence >= $2 ORDER BY sequence',
      [charityId, sequence],
    );
    for (const row of rows) {
      const document = JSON.parse(row.canonical_json.toString('utf8'));
      if (Number(row.sequence) === sequence) document.payload.amount.minorUnits = 99_999_900;
      document.prevHash = prevHash;
      const canonical = canonicalLedgerBytes(document);
      const hash = sha256Hex(canonical);
      await app.db.query(
        `UPDATE ledger_entry SET canonical_json = $3, payload = convert_from($3, 'UTF8')::jsonb -> 'payload', prev_hash = $4, hash = $5
          WHERE charity_id = $1 AND sequence = $2`,
        [charityId, row.sequence, canonical, prevHash, hash],
      );
      prevHash = hash;
    }
  } finally {
    await app.db.query('ALTER TABLE ledger_entry ENABLE TRIGGER USER');
  }
}

describe('charity-ledger-verify', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'cl-verifier-'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  describe('on an untouched log', () => {
    let app: TransparencyApp;
    let seeded: Seeded;
    let keysUrl: string;

    beforeAll(async () => {
      app = await startTransparencyApp();
      seeded = await seed(app);
      keysUrl = `${app.baseUrl}/.well-known/charity-ledger/keys`;
    });

    afterAll(async () => {
      await app.close();
    });

    it('verifies exports of the whole log and of one charity, from a URL and from a file', async () => {
      const checkpoint = await publishCheckpoint(app);
      const whole = await runVerifier(['export', `${app.baseUrl}/export`, '--keys', keysUrl, '--json']);
      expect(whole.code).toBe(0);
      expect(whole.json).toMatchObject({ ok: true, treeSize: 16, entries: 16, charities: 2, rootHash: checkpoint.rootHash, failure: null });

      const file = path.join(work, 'charity.ndjson');
      await writeFile(file, (await app.http().get(`/export?charityId=${seeded.charities[1].id}&fromPosition=3`)).text);
      const one = await runVerifier(['export', file, '--key', checkpoint.signedBy]);
      expect(one.code).toBe(0);
      expect(one.stdout).toMatch(/^OK {2}export of charity .* positions 3–16/);
      expect(one.stdout).toContain('7 of 1 charity');
      expect(one.stdout).toContain(`root:            ${checkpoint.rootHash}`);
    });

    it('follows a growing log with its state file: consistency with what it saw, and spot checks', async () => {
      const state = path.join(work, 'growing.json');
      const first = await runVerifier(['live', app.baseUrl, '--state', state, '--json']);
      expect(first.code).toBe(0);
      expect(first.json).toMatchObject({ ok: true, treeSize: 16, previousTreeSize: null });
      expect(first.json.warnings[0]).toContain('first use');

      await app.gql(RECORD_DONATION, { input: donationInput(seeded.charities[0].id) }, seeded.charities[0].apiKey);
      await publishCheckpoint(app);
      const second = await runVerifier(['live', app.baseUrl, '--state', state, '--sample', '5']);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('extends the one of 16 entries you verified');
      expect(second.stdout).toContain('5 of 17 entries are in the checkpoint');
    });

    it('says why it cannot verify: no trusted key, an unreadable source (exit 2)', async () => {
      const untrusted = await runVerifier(['export', `${app.baseUrl}/export`]);
      expect(untrusted.code).toBe(2);
      expect(untrusted.stderr).toContain('no trusted key');
      const missing = await runVerifier(['export', path.join(work, 'nope.ndjson'), '--keys', keysUrl]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('cannot read');
      const usage = await runVerifier(['live']);
      expect(usage.code).toBe(2);
    });
  });

  describe('after a superuser rewrites history', () => {
    let app: TransparencyApp;
    let seeded: Seeded;
    let state: string;
    let keysFile: string;

    beforeEach(async () => {
      app = await startTransparencyApp();
      seeded = await seed(app);
      await publishCheckpoint(app); // checkpoint A, held by the verifier below
      state = path.join(work, `state-${Date.now()}.json`);
      keysFile = path.join(work, `keys-${Date.now()}`);
      await writeFile(keysFile, (await app.http().get('/.well-known/charity-ledger/keys')).text);
      expect((await runVerifier(['live', app.baseUrl, '--state', state, '--sample', '1000'])).code).toBe(0);
    });

    afterEach(async () => {
      await app.close();
    });

    it('names the first changed position when an amount was changed and every later hash recomputed', async () => {
      await rewriteChainFrom(app, seeded.charities[0].id, 3);
      // the database's own check is fooled
      expect((await app.gql(VERIFY_CHAIN, { id: seeded.charities[0].id })).data!.verifyChain).toEqual({ valid: true, length: 8 });
      const changed = seeded.positionOf(0, 3);

      const live = await runVerifier(['live', app.baseUrl, '--state', state, '--sample', '1000', '--json']);
      expect(live.code).toBe(1);
      expect(live.json.failure).toMatchObject({ code: 'NOT_INCLUDED', position: changed });

      const whole = await runVerifier(['export', `${app.baseUrl}/export`, '--keys', keysFile, '--json']);
      expect(whole.code).toBe(1);
      expect(whole.json.failure).toMatchObject({ code: 'LEAF_MISMATCH', position: changed });

      const one = await runVerifier(['export', `${app.baseUrl}/export?charityId=${seeded.charities[0].id}`, '--state', state]);
      expect(one.code).toBe(1);
      expect(one.stdout).toContain(`first bad position: ${changed}`);
      expect(one.stdout).toContain('the entry was changed after it was logged');
    });

    it('notices that the last entry was deleted', async () => {
      const last = seeded.positionOf(1, 8);
      await app.db.query('ALTER TABLE ledger_entry DISABLE TRIGGER USER');
      await app.db.query('DELETE FROM donor_identity WHERE charity_id = $1 AND sequence = 8', [seeded.charities[1].id]);
      await app.db.query('DELETE FROM ledger_entry WHERE position = $1', [last]);
      await app.db.query('ALTER TABLE ledger_entry ENABLE TRIGGER USER');
      expect((await app.gql(VERIFY_CHAIN, { id: seeded.charities[1].id })).data!.verifyChain).toEqual({ valid: true, length: 7 });

      const live = await runVerifier(['live', app.baseUrl, '--state', state, '--sample', '1000', '--json']);
      expect(live.code).toBe(1);
      expect(live.json.failure).toMatchObject({ code: 'MISSING_ENTRY', position: last });

      const whole = await runVerifier(['export', `${app.baseUrl}/export`, '--keys', keysFile, '--json']);
      expect(whole.code).toBe(1);
      expect(whole.json.failure).toMatchObject({ code: 'MISSING_POSITIONS', position: last });
    });

    it('notices that the log was truncated', async () => {
      await app.db.query('ALTER TABLE ledger_entry DISABLE TRIGGER USER');
      await app.db.query('TRUNCATE ledger_entry CASCADE');
      await app.db.query('ALTER TABLE ledger_entry ENABLE TRIGGER USER');

      const live = await runVerifier(['live', app.baseUrl, '--state', state, '--sample', '1000', '--json']);
      expect(live.code).toBe(1);
      expect(live.json.failure).toMatchObject({ code: 'MISSING_ENTRY', position: 1 });

      const whole = await runVerifier(['export', `${app.baseUrl}/export`, '--keys', keysFile, '--json']);
      expect(whole.code).toBe(1);
      expect(whole.json.failure).toMatchObject({ code: 'MISSING_POSITIONS', position: 1 });
    });

    it('catches a log rebuilt from scratch, tree and checkpoints included, that the service refuses to sign', async () => {
      for (const table of ['ledger_entry', 'merkle_node', 'checkpoint']) await app.db.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      // the read models keyed by position go too, as a forger rebuilding the log would clear them
      await app.db.query('TRUNCATE ledger_entry, merkle_node, checkpoint, ledger_fact, media_reference CASCADE');
      for (const table of ['ledger_entry', 'merkle_node', 'checkpoint']) await app.db.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
      for (let round = 1; round <= 3; round++) {
        await app.gql(RECORD_DONATION, { input: donationInput(seeded.charities[0].id) }, seeded.charities[0].apiKey);
      }
      // the running service remembers what it signed and will not sign a shorter history
      const refused = await app.gql(`mutation { publishCheckpoint { treeSize } }`, {}, app.adminKey);
      expect(codeOf(refused)).toBe('CONFLICT');
      expect(refused.errors![0].message).toContain('refusing to sign');
      expect(Number((await app.db.query('SELECT count(*) AS n FROM checkpoint'))[0].n)).toBe(0);

      // a restarted service has no such memory and signs the rewritten log; the verifier's state still catches it
      await app.stop();
      app = await startTransparencyApp({ db: app.db, dataDir: app.dataDir, adminKey: app.adminKey });
      expect((await publishCheckpoint(app)).treeSize).toBe(3);
      const live = await runVerifier(['live', app.baseUrl, '--state', state, '--json']);
      expect(live.code).toBe(1);
      expect(live.json.failure).toMatchObject({ code: 'ROLLBACK', position: 4 });
      const whole = await runVerifier(['export', `${app.baseUrl}/export`, '--state', state, '--json']);
      expect(whole.code).toBe(1);
      expect(whole.json.failure).toMatchObject({ code: 'ROLLBACK' });
    });
  });
});

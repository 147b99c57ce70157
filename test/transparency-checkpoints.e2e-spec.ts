import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  entryLeafHash,
  generateNoteKeyPair,
  openCheckpoint,
  parseVerifierKey,
  rootFromLeafHashes,
  verifyConsistency,
} from '@charity-ledger/ledger-core';
import { ConfigError } from '../apps/api/src/config/app-config.js';
import { createTestDatabase } from './support/test-database.js';
import { donationInput, RECORD_DONATION, registerCharity, type TestApp } from './support/test-app.js';
import { publishCheckpoint, runVerifier, startTransparencyApp } from './support/transparency-app.js';

const ORIGIN = 'localhost/charity-ledger';

interface StoredCheckpoint {
  treeSize: number;
  rootHash: string;
  note: string;
}

async function checkpointsOf(app: TestApp): Promise<StoredCheckpoint[]> {
  const rows = await app.db.query<{ tree_size: string; root_hash: Buffer; note: string }>('SELECT tree_size, root_hash, note FROM checkpoint ORDER BY tree_size');
  return rows.map((row) => ({ treeSize: Number(row.tree_size), rootHash: row.root_hash.toString('hex'), note: row.note }));
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function record(app: TestApp, charity: { id: string; apiKey: string }, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    const response = await app.gql(RECORD_DONATION, { input: donationInput(charity.id) }, charity.apiKey);
    if (!response.data) throw new Error(JSON.stringify(response.errors));
  }
}

/** Every stored checkpoint extends the one before it, by a consistency proof the service gives. */
async function expectConsistentHistory(app: TestApp, checkpoints: StoredCheckpoint[]): Promise<void> {
  for (let index = 1; index < checkpoints.length; index++) {
    const [older, newer] = [checkpoints[index - 1], checkpoints[index]];
    const { data } = await app.gql<{ consistencyProof: string[] }>(`{ consistencyProof(fromSize: ${older.treeSize}, toSize: ${newer.treeSize}) }`);
    const proof = data!.consistencyProof.map((element) => Buffer.from(element, 'hex'));
    expect(() => verifyConsistency(older.treeSize, newer.treeSize, proof, Buffer.from(older.rootHash, 'hex'), Buffer.from(newer.rootHash, 'hex'))).not.toThrow();
  }
}

describe('checkpoints: schedule, several instances, key rotation', () => {
  it('signs once the log has grown by CHECKPOINT_EVERY_ENTRIES entries', async () => {
    const app = await startTransparencyApp({ settings: { checkpointEveryEntries: 5, checkpointIntervalSeconds: 3600 } });
    try {
      const charity = await registerCharity(app);
      await record(app, charity, 4);
      // past the first schedule tick (every 5 s at most): 4 entries are not due yet
      await new Promise((done) => setTimeout(done, 5_500));
      expect(await checkpointsOf(app)).toEqual([]);
      await record(app, charity, 1);
      const [first] = await waitFor('a checkpoint', async () => ((await checkpointsOf(app)).length > 0 ? checkpointsOf(app) : undefined));
      expect(first.treeSize).toBe(5);
    } finally {
      await app.close();
    }
  });

  it('signs after CHECKPOINT_INTERVAL_SECONDS when the log has grown, and not when it has not', async () => {
    const app = await startTransparencyApp({ settings: { checkpointEveryEntries: 1_000_000, checkpointIntervalSeconds: 1 } });
    try {
      const charity = await registerCharity(app);
      await record(app, charity, 2);
      await waitFor('the first checkpoint', async () => ((await checkpointsOf(app)).length === 1 ? true : undefined));
      await record(app, charity, 1);
      await waitFor('the second checkpoint', async () => ((await checkpointsOf(app)).at(-1)?.treeSize === 3 ? true : undefined));
      await new Promise((done) => setTimeout(done, 2_500));
      expect((await checkpointsOf(app)).map((checkpoint) => checkpoint.treeSize)).toEqual([2, 3]);
      await expectConsistentHistory(app, await checkpointsOf(app));
    } finally {
      await app.close();
    }
  });

  it('keeps one consistent history when two instances append and checkpoint on the same database', async () => {
    const { signerKey } = generateNoteKeyPair(ORIGIN);
    const settings = { checkpointSigningKey: signerKey, checkpointEveryEntries: 7, checkpointIntervalSeconds: 1 };
    const first = await startTransparencyApp({ settings });
    const second = await startTransparencyApp({ db: first.db, adminKey: first.adminKey, settings });
    try {
      const charities = [await registerCharity(first, '甲'), await registerCharity(first, '乙')];
      // both processes append to both charities at once: each one's cached tree goes stale in turn
      await Promise.all(
        [first, second].flatMap((app) =>
          charities.map(async (charity) => {
            for (let index = 0; index < 25; index++) {
              const response = await app.gql(RECORD_DONATION, { input: donationInput(charity.id) }, charity.apiKey);
              expect(response.errors).toBeUndefined();
            }
          }),
        ),
      );
      await waitFor('a checkpoint of all 100 entries', async () => ((await checkpointsOf(first)).at(-1)?.treeSize === 100 ? true : undefined));
      const history = await checkpointsOf(first);
      expect(history.length).toBeGreaterThan(1);
      await expectConsistentHistory(first, history);
      const leaves = (await first.db.query<{ hash: string }>('SELECT hash FROM ledger_entry ORDER BY position')).map((row) => entryLeafHash(row.hash));
      expect(history.at(-1)!.rootHash).toBe(Buffer.from(rootFromLeafHashes(leaves)).toString('hex'));
    } finally {
      await second.stop();
      await first.close();
      await rm(second.dataDir, { recursive: true, force: true });
    }
  });

  it('rotates the signing key: the new key signs, the old checkpoints stay verifiable with the published list', async () => {
    let app = await startTransparencyApp();
    const work = await mkdtemp(path.join(tmpdir(), 'cl-rotation-'));
    try {
      const charity = await registerCharity(app);
      await record(app, charity, 3);
      const old = await publishCheckpoint(app);
      const state = path.join(work, 'state.json');
      expect((await runVerifier(['live', app.baseUrl, '--state', state])).code).toBe(0);

      // the operator gives the service a new key and restarts it
      const rotated = generateNoteKeyPair(ORIGIN);
      await app.stop();
      app = await startTransparencyApp({ db: app.db, dataDir: app.dataDir, adminKey: app.adminKey, settings: { checkpointSigningKey: rotated.signerKey } });
      const keys = (await app.http().get('/.well-known/charity-ledger/keys')).text.trim().split('\n');
      expect(keys).toEqual([rotated.verifierKey, old.signedBy]);
      const listed = (await app.gql(`{ checkpointKeys { verifierKey current } }`)).data!.checkpointKeys;
      expect(listed).toEqual([
        { verifierKey: rotated.verifierKey, current: true },
        { verifierKey: old.signedBy, current: false },
      ]);

      await record(app, charity, 2);
      const fresh = await publishCheckpoint(app);
      expect(fresh.signedBy).toBe(rotated.verifierKey);
      const trusted = keys.map((key) => parseVerifierKey(key));
      expect(openCheckpoint((await app.http().get(`/checkpoints/${old.treeSize}`)).text, trusted).verifiedBy[0].verifierKey).toBe(old.signedBy);
      expect(openCheckpoint((await app.http().get('/checkpoint')).text, trusted).verifiedBy[0].verifierKey).toBe(rotated.verifierKey);
      await expectConsistentHistory(app, await checkpointsOf(app));
      expect((await runVerifier(['export', `${app.baseUrl}/export`, '--keys', `${app.baseUrl}/.well-known/charity-ledger/keys`])).code).toBe(0);

      // a verifier that pinned the old key is told about the new one, and accepts it only when asked to
      const pinned = await runVerifier(['live', app.baseUrl, '--state', state, '--json']);
      expect(pinned.code).toBe(1);
      expect(pinned.json.failure.code).toBe('BAD_CHECKPOINT');
      expect(pinned.json.failure.reason).toContain(rotated.verifierKey);
      const accepted = await runVerifier(['live', app.baseUrl, '--state', state, '--key', old.signedBy, '--key', rotated.verifierKey, '--json']);
      expect(accepted.code).toBe(0);
      expect(accepted.json).toMatchObject({ ok: true, previousTreeSize: 3, treeSize: 5 });
    } finally {
      await app.close();
      await rm(work, { recursive: true, force: true });
    }
  });

  describe('refuses to start with a signing key it cannot use', () => {
    let dataDir: string;

    beforeEach(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'cl-badkey-'));
    });

    afterEach(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    async function startupError(settings: Record<string, unknown>): Promise<unknown> {
      const db = await createTestDatabase(false);
      try {
        await startTransparencyApp({ db, dataDir, settings });
        return undefined;
      } catch (error) {
        return error;
      } finally {
        await db.drop();
      }
    }

    it('a key file other users can read', async () => {
      const file = path.join(dataDir, 'checkpoint-signing-key');
      await writeFile(file, `${generateNoteKeyPair(ORIGIN).signerKey}\n`);
      await chmod(file, 0o644);
      const error = await startupError({});
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`chmod 600 ${file}`);
    });

    it('a key made for another log', async () => {
      const error = await startupError({ checkpointSigningKey: generateNoteKeyPair('elsewhere.example/log').signerKey });
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('CHECKPOINT_SIGNING_KEY: the key is named "elsewhere.example/log" but CHECKPOINT_ORIGIN is "localhost/charity-ledger"');
    });

    it('a key that is not a signer key', async () => {
      const file = path.join(dataDir, 'checkpoint-signing-key');
      await writeFile(file, 'PRIVATE+KEY+localhost/charity-ledger+00000000+AQ==\n', { mode: 0o600 });
      const error = await startupError({});
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('not a usable C2SP signer key');
    });
  });
});

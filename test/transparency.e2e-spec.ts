import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  entryLeafHash,
  openCheckpoint,
  parseVerifierKey,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
  type NoteVerifier,
} from '@charity-ledger/ledger-core';
import { codeOf, donationInput, RECORD_DONATION, registerCharity } from './support/test-app.js';
import { publishCheckpoint, startTransparencyApp, type TransparencyApp } from './support/transparency-app.js';

const RECORD_DONATIONS = `mutation Record($inputs: [RecordDonationInput!]!) { recordDonations(inputs: $inputs) { position } }`;
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (value: string): Buffer => Buffer.from(value, 'hex');

describe('transparency log: Merkle tree, checkpoints, proofs, export', () => {
  let app: TransparencyApp;
  let charities: Array<{ id: string; apiKey: string }>;

  beforeAll(async () => {
    app = await startTransparencyApp();
  });

  afterAll(async () => {
    await app.close();
  });

  /** Every entry hash in position order, as the superuser reads them: the reference the service is checked against. */
  async function leafHashes(): Promise<Uint8Array[]> {
    const rows = await app.db.query<{ hash: string }>('SELECT hash FROM ledger_entry ORDER BY position');
    return rows.map((row) => entryLeafHash(row.hash));
  }

  async function trustedKeys(): Promise<NoteVerifier[]> {
    const text = (await app.http().get('/.well-known/charity-ledger/keys')).text;
    return text.trim().split('\n').map((line) => parseVerifierKey(line));
  }

  describe('before the first entry', () => {
    it('serves no checkpoint and no export, with NOT_FOUND, and signs nothing', async () => {
      const checkpoint = await app.http().get('/checkpoint');
      expect(checkpoint.status).toBe(404);
      expect(checkpoint.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('No checkpoint') } });
      expect((await app.http().get('/export')).body.error.code).toBe('NOT_FOUND');
      expect((await app.gql(`{ latestCheckpoint { treeSize } }`)).data).toEqual({ latestCheckpoint: null });
      expect((await app.gql(`mutation { publishCheckpoint { treeSize } }`, {}, app.adminKey)).data).toEqual({ publishCheckpoint: null });
      expect(Number((await app.db.query('SELECT count(*) AS n FROM checkpoint'))[0].n)).toBe(0);
    });

    it('publishes its generated key, with the private key file readable by the owner only', async () => {
      const keys = await app.http().get('/.well-known/charity-ledger/keys');
      expect(keys.status).toBe(200);
      expect(keys.headers['content-type']).toMatch(/^text\/plain/);
      const [line] = keys.text.trim().split('\n');
      expect(parseVerifierKey(line).name).toBe(app.config.checkpointOrigin);
      const { mode } = await import('node:fs').then((fs) => fs.statSync(path.join(app.dataDir, 'checkpoint-signing-key')));
      expect(mode & 0o777).toBe(0o600);
      const { data } = await app.gql(`{ checkpointKeys { verifierKey name keyId current } }`);
      expect(data!.checkpointKeys).toEqual([expect.objectContaining({ verifierKey: line, current: true })]);
    });
  });

  describe('with a few thousand entries', () => {
    beforeAll(async () => {
      charities = await Promise.all([registerCharity(app, '基金会甲'), registerCharity(app, '基金会乙'), registerCharity(app, '基金会丙')]);
      // batches and single appends, several charities at once: the tree must follow every commit
      const batches = charities.flatMap((charity) =>
        [700, 300].map((size) =>
          app.gql(RECORD_DONATIONS, { inputs: Array.from({ length: size }, () => donationInput(charity.id)) }, charity.apiKey),
        ),
      );
      const singles = charities.flatMap((charity) => Array.from({ length: 12 }, () => app.gql(RECORD_DONATION, { input: donationInput(charity.id) }, charity.apiKey)));
      const responses = await Promise.all([...batches, ...singles]);
      expect(responses.filter((response) => response.errors)).toEqual([]);
    });

    it('stores exactly the perfect subtrees of the tree over every entry, whose root is what gets signed', async () => {
      const leaves = await leafHashes();
      expect(leaves).toHaveLength(3036);
      const levels = await app.db.query<{ level: number; nodes: string }>('SELECT level, count(*) AS nodes FROM merkle_node GROUP BY level ORDER BY level');
      expect(levels.map((row) => Number(row.nodes))).toEqual(levels.map((row) => Math.floor(3036 / 2 ** row.level)));
      const checkpoint = await publishCheckpoint(app);
      expect(checkpoint.treeSize).toBe(3036);
      expect(checkpoint.rootHash).toBe(hex(rootFromLeafHashes(leaves)));
      const opened = openCheckpoint(checkpoint.note, await trustedKeys(), { origin: app.config.checkpointOrigin });
      expect(hex(opened.checkpoint.rootHash)).toBe(checkpoint.rootHash);
    });

    it('answers inclusion proofs for random positions and sizes that verify with the library, and tampered ones do not', async () => {
      const leaves = await leafHashes();
      const cases = Array.from({ length: 120 }, () => {
        const treeSize = 1 + Math.floor(Math.random() * leaves.length);
        return { treeSize, position: 1 + Math.floor(Math.random() * treeSize) };
      });
      cases.push({ treeSize: 1, position: 1 }, { treeSize: leaves.length, position: leaves.length }, { treeSize: 2048, position: 2048 });
      const query = `{ ${cases.map((c, i) => `p${i}: inclusionProof(position: ${c.position}, treeSize: ${c.treeSize})`).join(' ')} }`;
      const { data, errors } = await app.gql<Record<string, string[]>>(query);
      expect(errors).toBeUndefined();
      cases.forEach(({ treeSize, position }, i) => {
        const proof = data![`p${i}`].map(bytes);
        const root = rootFromLeafHashes(leaves.slice(0, treeSize));
        expect(() => verifyInclusion(leaves[position - 1], position - 1, treeSize, proof, root)).not.toThrow();
        if (proof.length > 0) {
          const tampered = proof.map((element, index) => (index === i % proof.length ? Buffer.from(element.map((byte, at) => (at === 0 ? byte ^ 1 : byte))) : element));
          expect(() => verifyInclusion(leaves[position - 1], position - 1, treeSize, tampered, root)).toThrow(/does not lead to the stated root/);
          expect(() => verifyInclusion(leaves[position - 1], position - 1, treeSize, proof.slice(1), root)).toThrow();
        }
        // the proof of one position does not prove another
        if (treeSize > 1) {
          const other = position === 1 ? 2 : position - 1;
          expect(() => verifyInclusion(leaves[other - 1], position - 1, treeSize, proof, root)).toThrow();
        }
      });
    });

    it('answers consistency proofs between random sizes that verify with the library, and tampered ones do not', async () => {
      const leaves = await leafHashes();
      const cases = Array.from({ length: 120 }, () => {
        const toSize = 1 + Math.floor(Math.random() * leaves.length);
        return { fromSize: 1 + Math.floor(Math.random() * toSize), toSize };
      });
      cases.push({ fromSize: 1, toSize: leaves.length }, { fromSize: 1024, toSize: 3036 }, { fromSize: 3036, toSize: 3036 }, { fromSize: 5, toSize: 6 });
      const query = `{ ${cases.map((c, i) => `c${i}: consistencyProof(fromSize: ${c.fromSize}, toSize: ${c.toSize})`).join(' ')} }`;
      const { data, errors } = await app.gql<Record<string, string[]>>(query);
      expect(errors).toBeUndefined();
      cases.forEach(({ fromSize, toSize }, i) => {
        const proof = data![`c${i}`].map(bytes);
        const fromRoot = rootFromLeafHashes(leaves.slice(0, fromSize));
        const toRoot = rootFromLeafHashes(leaves.slice(0, toSize));
        expect(() => verifyConsistency(fromSize, toSize, proof, fromRoot, toRoot)).not.toThrow();
        if (proof.length > 0) {
          const tampered = proof.map((element, index) => (index === proof.length - 1 ? Buffer.from(element.map((byte, at) => (at === 31 ? byte ^ 0x80 : byte))) : element));
          expect(() => verifyConsistency(fromSize, toSize, tampered, fromRoot, toRoot)).toThrow();
        }
        // and it does not pass for a rewritten older tree
        const forged = rootFromLeafHashes([entryLeafHash('ab'.repeat(32)), ...leaves.slice(1, fromSize)]);
        expect(() => verifyConsistency(fromSize, toSize, proof, forged, toRoot)).toThrow();
      });
    });

    it("gives every entry its leaf hash and serves entries by position", async () => {
      const { data } = await app.gql<{ ledgerEntryAt: { position: number; hash: string; leafHash: string } }>(`{ ledgerEntryAt(position: 1500) { position hash leafHash } }`);
      expect(data!.ledgerEntryAt.position).toBe(1500);
      expect(data!.ledgerEntryAt.leafHash).toBe(hex(entryLeafHash(data!.ledgerEntryAt.hash)));
      const stored = await app.db.query<{ hash: Buffer }>('SELECT hash FROM merkle_node WHERE level = 0 AND node_index = 1499');
      expect(stored[0].hash.toString('hex')).toBe(data!.ledgerEntryAt.leafHash);
      const page = await app.gql<{ ledgerEntries: { edges: Array<{ node: { hash: string; leafHash: string } }> } }>(
        `query Page($id: ID!) { ledgerEntries(charityId: $id, first: 3) { edges { node { hash leafHash } } } }`,
        { id: charities[0].id },
      );
      for (const { node } of page.data!.ledgerEntries.edges) expect(node.leafHash).toBe(hex(entryLeafHash(node.hash)));
    });

    it('lists checkpoints newest first and serves each one by size, as published to the directory', async () => {
      await app.gql(RECORD_DONATION, { input: donationInput(charities[1].id) }, charities[1].apiKey);
      const newest = await publishCheckpoint(app);
      expect(newest.treeSize).toBe(3037);
      const first = await app.gql<{ checkpoints: { totalCount: number; edges: Array<{ node: { treeSize: number } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
        `{ checkpoints(first: 1) { totalCount edges { node { treeSize } } pageInfo { hasNextPage endCursor } } }`,
      );
      expect(first.data!.checkpoints).toMatchObject({ totalCount: 2, edges: [{ node: { treeSize: 3037 } }], pageInfo: { hasNextPage: true } });
      const second = await app.gql<{ checkpoints: { edges: Array<{ node: { treeSize: number } }>; pageInfo: { hasNextPage: boolean } } }>(
        `query Next($after: String) { checkpoints(first: 5, after: $after) { edges { node { treeSize } } pageInfo { hasNextPage } } }`,
        { after: first.data!.checkpoints.pageInfo.endCursor },
      );
      expect(second.data!.checkpoints).toMatchObject({ edges: [{ node: { treeSize: 3036 } }], pageInfo: { hasNextPage: false } });

      const latest = await app.http().get('/checkpoint');
      expect(latest.text).toBe(newest.note);
      expect((await app.http().get('/checkpoints/3036')).headers['cache-control']).toContain('immutable');
      const publishDir = path.join(app.dataDir, 'public');
      expect(await readFile(path.join(publishDir, 'checkpoint'), 'utf8')).toBe(newest.note);
      expect(await readFile(path.join(publishDir, 'checkpoints', '3037'), 'utf8')).toBe(newest.note);
      expect(await readFile(path.join(publishDir, '.well-known', 'charity-ledger', 'keys'), 'utf8')).toBe(
        (await app.http().get('/.well-known/charity-ledger/keys')).text,
      );
    });

    it('streams the whole log as NDJSON up to the latest checkpoint, each entry with its bytes, hashes and leaf', async () => {
      const response = await app.http().get('/export');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
      const lines = response.text.trim().split('\n').map((line) => JSON.parse(line));
      expect(lines[0]).toMatchObject({ kind: 'header', format: 1, charityId: null, fromPosition: 1, treeSize: 3037, prefix: [] });
      expect(lines).toHaveLength(3039);
      expect(lines.at(-1)).toMatchObject({ kind: 'checkpoint', treeSize: 3037 });
      const entry = lines[1500];
      expect(entry).toMatchObject({ kind: 'entry', position: 1500 });
      expect(entry.leafHash).toBe(hex(entryLeafHash(entry.hash)));
      expect(JSON.parse(entry.canonicalJson)).toMatchObject({ charityId: entry.charityId, sequence: entry.sequence, prevHash: entry.prevHash });
    });

    it("exports one charity's entries with the other positions summarized by a few subtree hashes", async () => {
      const response = await app.http().get(`/export?charityId=${charities[2].id}&fromPosition=100`);
      const lines = response.text.trim().split('\n').map((line) => JSON.parse(line));
      expect(lines[0]).toMatchObject({ charityId: charities[2].id, fromPosition: 100 });
      expect(lines[0].prefix).toHaveLength(4); // positions 1–99: perfect subtrees of 64, 32, 2 and 1
      const entries = lines.filter((line) => line.kind === 'entry');
      expect(entries.every((line) => line.charityId === charities[2].id)).toBe(true);
      const [{ n }] = await app.db.query<{ n: string }>('SELECT count(*) AS n FROM ledger_entry WHERE charity_id = $1 AND position >= 100 AND position <= 3037', [charities[2].id]);
      expect(entries).toHaveLength(Number(n));
      const gaps = lines.filter((line) => line.kind === 'subtrees');
      const covered = gaps.reduce((total, line) => total + line.toPosition - line.fromPosition + 1, 0);
      expect(covered + entries.length).toBe(3037 - 99);
      // a run of n positions takes at most about 2·log2(n) hashes
      for (const gap of gaps) expect(gap.hashes.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(gap.toPosition - gap.fromPosition + 2)));
    });
  });

  describe('errors', () => {
    it.each([
      ['inclusionProof(position: 0, treeSize: 5)', 'position'],
      ['inclusionProof(position: 6, treeSize: 5)', 'treeSize'],
      ['inclusionProof(position: 1, treeSize: 999999)', 'treeSize'],
      ['consistencyProof(fromSize: 0, toSize: 5)', 'fromSize'],
      ['consistencyProof(fromSize: 6, toSize: 5)', 'toSize'],
      ['consistencyProof(fromSize: 5, toSize: 999999)', 'toSize'],
      ['ledgerEntryAt(position: -1) { position }', 'position'],
    ])('refuses %s with BAD_USER_INPUT naming %s', async (field, name) => {
      const response = await app.gql(`{ ${field} }`);
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0].extensions!.field).toBe(name);
      expect(response.errors![0].message).toMatch(new RegExp(`^${name}: `));
    });

    it('answers NOT_FOUND for a position beyond the log', async () => {
      expect(codeOf(await app.gql(`{ ledgerEntryAt(position: 999999) { position } }`))).toBe('NOT_FOUND');
    });

    it('lets only the admin sign a checkpoint on demand', async () => {
      const before = (await app.db.query('SELECT count(*) AS n FROM checkpoint'))[0].n;
      expect(codeOf(await app.gql(`mutation { publishCheckpoint { treeSize } }`))).toBe('UNAUTHENTICATED');
      const charity = await registerCharity(app, '基金会丁');
      expect(codeOf(await app.gql(`mutation { publishCheckpoint { treeSize } }`, {}, charity.apiKey))).toBe('FORBIDDEN');
      expect((await app.db.query('SELECT count(*) AS n FROM checkpoint'))[0].n).toBe(before);
    });

    it.each([
      ['/export?charityId=not-a-uuid', 400, 'BAD_USER_INPUT', 'charityId'],
      ['/export?charityId=00000000-0000-4000-8000-000000000000', 404, 'NOT_FOUND', undefined],
      ['/export?fromPosition=0', 400, 'BAD_USER_INPUT', 'fromPosition'],
      ['/export?fromPosition=99999999', 400, 'BAD_USER_INPUT', 'fromPosition'],
      ['/export?charity=x', 400, 'BAD_USER_INPUT', 'charity'],
      ['/checkpoints/abc', 400, 'BAD_USER_INPUT', 'treeSize'],
      ['/checkpoints/99999999', 404, 'NOT_FOUND', undefined],
    ])('answers GET %s with %i %s', async (url, status, code, field) => {
      const response = await app.http().get(url);
      expect(response.status).toBe(status);
      expect(response.body.error).toMatchObject({ code, ...(field ? { field } : {}) });
    });

    it('refuses a malformed API key on the HTTP routes too', async () => {
      const response = await app.http().get('/checkpoint').set('authorization', 'Bearer nope');
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('in the database', () => {
    it('lets the service role only read and append the tree and checkpoints; nobody may change them', async () => {
      for (const table of ['merkle_node', 'checkpoint', 'checkpoint_key']) {
        const privileges = await app.db.query<{ privilege_type: string }>(
          `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'charity_ledger_app' AND table_name = $1 ORDER BY privilege_type`,
          [table],
        );
        expect(privileges.map((row) => row.privilege_type)).toEqual(['INSERT', 'SELECT']);
      }
      await expect(app.db.queryAsApp(`UPDATE merkle_node SET hash = hash WHERE level = 0 AND node_index = 0`)).rejects.toThrow(/permission denied/);
      await expect(app.db.query(`UPDATE merkle_node SET hash = hash WHERE level = 0 AND node_index = 0`)).rejects.toThrow(/append-only/);
      await expect(app.db.query(`DELETE FROM checkpoint`)).rejects.toThrow(/append-only/);
      await expect(app.db.query(`TRUNCATE merkle_node`)).rejects.toThrow(/append-only/);
    });

    it('refuses nodes that disagree with the ledger or with their children, whoever inserts them', async () => {
      const [{ size }] = await app.db.query<{ size: string }>('SELECT max(node_index) + 1 AS size FROM merkle_node WHERE level = 0');
      // a leaf for a position that has no entry yet
      await expect(app.db.query(`INSERT INTO merkle_node VALUES (0, $1, $2)`, [size, Buffer.alloc(32)])).rejects.toThrow(/not the leaf hash of the entry/);
      // a leaf that skips a position
      await expect(app.db.query(`INSERT INTO merkle_node VALUES (0, $1, $2)`, [Number(size) + 5, Buffer.alloc(32)])).rejects.toThrow(/not the next leaves/);
      // a parent whose children are not stored
      await expect(app.db.query(`INSERT INTO merkle_node VALUES (1, $1, $2)`, [Number(size), Buffer.alloc(32)])).rejects.toThrow(/not the hash of its stored children/);
    });
  });
});

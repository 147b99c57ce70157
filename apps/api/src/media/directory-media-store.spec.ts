import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DirectoryMediaStore } from './directory-media-store.js';

describe('DirectoryMediaStore', () => {
  let folder: string;
  let store: DirectoryMediaStore;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'charity-ledger-media-store-'));
    store = new DirectoryMediaStore(folder);
    await store.open();
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const chunks = (bytes: Buffer) => Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]);
  const temporaryFiles = () => readdir(path.join(folder, 'tmp'));

  it('given bytes, when put and committed, then they are stored under their SHA-256', async () => {
    const bytes = randomBytes(5_000);
    const pending = await store.put(chunks(bytes));
    expect(pending).toMatchObject({ sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: 5_000 });
    expect(await store.exists(pending.sha256)).toBe(false);
    await pending.commit();
    expect(store.localPath(pending.sha256)).toBe(path.join(folder, pending.sha256.slice(0, 2), pending.sha256));
    expect(await readFile(store.localPath(pending.sha256))).toEqual(bytes);
    expect(await store.stat(pending.sha256)).toEqual({ sizeBytes: 5_000 });
    expect(await temporaryFiles()).toEqual([]);
  });

  it('given the same bytes twice at once, when both commit, then one file holds them', async () => {
    const bytes = randomBytes(2_000);
    const [first, second] = await Promise.all([store.put(chunks(bytes)), store.put(chunks(bytes))]);
    await Promise.all([first.commit(), second.commit()]);
    expect(await readdir(path.join(folder, first.sha256.slice(0, 2)))).toEqual([first.sha256]);
    expect(await temporaryFiles()).toEqual([]);
  });

  it('given a source that fails, when put, then the error comes back and no temporary file is left', async () => {
    const failing = new Readable({
      read() {
        this.push(randomBytes(100));
        this.destroy(new Error('refused'));
      },
    });
    await expect(store.put(failing)).rejects.toThrow('refused');
    expect(await temporaryFiles()).toEqual([]);
  });

  it('given a pending file, when discarded, then nothing is stored', async () => {
    const pending = await store.put(chunks(randomBytes(300)));
    await pending.discard();
    expect(await store.exists(pending.sha256)).toBe(false);
    expect(await temporaryFiles()).toEqual([]);
  });

  it('given temporary files, when opened again, then only those older than a day are removed', async () => {
    const stale = path.join(folder, 'tmp', 'stale.part');
    const fresh = path.join(folder, 'tmp', 'fresh.part');
    await writeFile(stale, 'x');
    await writeFile(fresh, 'x');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await utimes(stale, twoDaysAgo, twoDaysAgo);
    await store.open();
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('given something that is not a SHA-256, when asked for its path, then it refuses', () => {
    expect(() => store.localPath('../../etc/passwd')).toThrow('not a SHA-256');
  });
});

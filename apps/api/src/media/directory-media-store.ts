import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange, MediaStore, PendingMedia } from './media-store.js';

const TEMPORARY = 'tmp';
/** Temporary files older than this are left over from a crash (an upload in flight is younger). */
const STALE_TEMPORARY_MS = 24 * 60 * 60 * 1000;

/**
 * Media in a directory: `<root>/<first two hex digits>/<sha256>`, written to
 * `<root>/tmp/` first and renamed into place, so a file under its hash is always
 * complete. Several service instances may share the directory.
 */
export class DirectoryMediaStore implements MediaStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Creates the directories, checks that they can be written, and removes temporary files a crash left behind. */
  async open(now = Date.now()): Promise<void> {
    const temporary = path.join(this.root, TEMPORARY);
    await mkdir(temporary, { recursive: true, mode: 0o750 });
    const probe = path.join(temporary, `${randomUUID()}.probe`);
    await writeFile(probe, '', { flag: 'wx' });
    await rm(probe);
    for (const name of await readdir(temporary)) {
      const file = path.join(temporary, name);
      const info = await stat(file).catch(() => null);
      if (info && now - info.mtimeMs > STALE_TEMPORARY_MS) await rm(file, { force: true });
    }
  }

  async put(source: Readable): Promise<PendingMedia> {
    const temporary = path.join(this.root, TEMPORARY, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        sizeBytes += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      // `flush`: on disk before it gets a name, so a crash never leaves a short file under a hash
      await pipeline(source, hashing, createWriteStream(temporary, { flags: 'wx', mode: 0o640, flush: true }));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    const sha256 = hash.digest('hex');
    return {
      sha256,
      sizeBytes,
      commit: () => this.commit(temporary, sha256),
      discard: () => rm(temporary, { force: true }),
    };
  }

  async exists(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  async stat(sha256: string): Promise<{ sizeBytes: number } | null> {
    try {
      return { sizeBytes: (await stat(this.localPath(sha256))).size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  openReadStream(sha256: string, range?: ByteRange): Readable {
    return createReadStream(this.localPath(sha256), range ? { start: range.start, end: range.end } : {});
  }

  localPath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  private async commit(temporary: string, sha256: string): Promise<void> {
    const target = this.localPath(sha256);
    if (await this.exists(sha256)) {
      await rm(temporary, { force: true });
      return;
    }
    await mkdir(path.dirname(target), { recursive: true, mode: 0o750 });
    // atomic; if a concurrent upload of the same bytes got there first, its identical file is replaced
    await rename(temporary, target);
    await syncDirectory(path.dirname(target));
  }
}

/** Makes a rename durable (best effort: not every file system allows it). */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // some file systems refuse fsync on a directory
  } finally {
    await handle.close();
  }
}

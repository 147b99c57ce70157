import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Paths inside the publish directory; the same as the service's own routes. */
export const PUBLISHED_LATEST = 'checkpoint';
export const PUBLISHED_CHECKPOINTS = 'checkpoints';
export const PUBLISHED_KEYS = path.join('.well-known', 'charity-ledger', 'keys');

/**
 * Writes what verifiers fetch into a directory that can be copied as is to any
 * static host (object storage, a CDN, a mirror): the latest checkpoint, every
 * checkpoint by tree size, and the key list. The layout matches the service's
 * routes, so a verifier pointed at the mirror's URL works the same way.
 * Every file is written to a temporary name and renamed into place, so a reader
 * never sees half a file.
 */
export class CheckpointPublisher {
  constructor(readonly directory: string) {}

  async publishCheckpoint(treeSize: number, note: string, latest: boolean): Promise<void> {
    await this.write(path.join(PUBLISHED_CHECKPOINTS, String(treeSize)), note);
    if (latest) await this.write(PUBLISHED_LATEST, note);
  }

  async publishKeys(verifierKeys: readonly string[]): Promise<void> {
    await this.write(PUBLISHED_KEYS, verifierKeys.map((key) => `${key}\n`).join(''));
  }

  private async write(relative: string, text: string): Promise<void> {
    const file = path.join(this.directory, relative);
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, file);
  }
}

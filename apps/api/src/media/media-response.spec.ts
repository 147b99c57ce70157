import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Request, Response } from 'express';
import { DomainError } from '../common/domain-error.js';
import { DirectoryMediaStore } from './directory-media-store.js';
import { parseRange, sendMedia } from './media-response.js';
import type { ByteRange, MediaStore, PendingMedia } from './media-store.js';
import type { ReadableMedia } from './media.service.js';

describe('parseRange', () => {
  it.each([
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=90-', { start: 90, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=-1000', { start: 0, end: 99 }],
    ['bytes=50-5000', { start: 50, end: 99 }],
    [' bytes=99-99 ', { start: 99, end: 99 }],
  ])('given %p on 100 bytes, when parsed, then it is %p', (header, range) => {
    expect(parseRange(header, 100)).toEqual(range);
  });

  it.each(['bytes=100-', 'bytes=100-200', 'bytes=-0'])('given %p on 100 bytes, when parsed, then it is unsatisfiable', (header) => {
    expect(parseRange(header, 100)).toBe('unsatisfiable');
  });

  it.each([undefined, '', 'bytes=', 'bytes=-', 'bytes=9-1', 'bytes=0-1,5-6', 'items=0-1', 'bytes=a-b'])(
    'given %p, when parsed, then the whole file is sent',
    (header) => {
      expect(parseRange(header, 100)).toBeUndefined();
    },
  );
});

/** A store without local files (like an S3-compatible one): served through its read stream. */
class StreamOnlyStore implements MediaStore {
  constructor(private readonly inner: DirectoryMediaStore) {}
  open(): Promise<void> {
    return this.inner.open();
  }
  put(source: Readable): Promise<PendingMedia> {
    return this.inner.put(source);
  }
  exists(sha256: string): Promise<boolean> {
    return this.inner.exists(sha256);
  }
  stat(sha256: string): Promise<{ sizeBytes: number } | null> {
    return this.inner.stat(sha256);
  }
  openReadStream(sha256: string, range?: ByteRange): Readable {
    return this.inner.openReadStream(sha256, range);
  }
}

describe('sendMedia from a store without local files', () => {
  let folder: string;
  let server: http.Server;
  let base: string;
  const bytes = randomBytes(1_000);
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'charity-ledger-media-response-'));
    const directory = new DirectoryMediaStore(folder);
    await directory.open();
    await (await directory.put(Readable.from([bytes]))).commit();
    const store = new StreamOnlyStore(directory);
    const media: ReadableMedia = { sha256, contentType: 'video/mp4', sizeBytes: bytes.length, public: true };
    server = http.createServer((request, response) => {
      sendMedia(request as Request, response as unknown as Response, store, media).catch((error: unknown) => {
        response.statusCode = error instanceof DomainError && error.code === 'RANGE_NOT_SATISFIABLE' ? 416 : 500;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(folder, { recursive: true, force: true });
  });

  it('given no Range, when fetched, then the whole file comes with its type and a strong ETag', async () => {
    const response = await fetch(base);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(response.headers.get('etag')).toBe(`"${sha256}"`);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('given a Range, when fetched, then exactly those bytes come (206)', async () => {
    const response = await fetch(base, { headers: { range: 'bytes=10-19' } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes 10-19/${bytes.length}`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes.subarray(10, 20));
  });

  it('given a range past the end, when fetched, then 416 says the size', async () => {
    const response = await fetch(base, { headers: { range: `bytes=${bytes.length}-` } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
  });

  it('given the ETag, when fetched again, then 304; given a stale If-Range, then the whole file', async () => {
    expect((await fetch(base, { headers: { 'if-none-match': `"${sha256}"` } })).status).toBe(304);
    const stale = await fetch(base, { headers: { range: 'bytes=0-1', 'if-range': '"other"' } });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer())).toEqual(bytes);
  });
});

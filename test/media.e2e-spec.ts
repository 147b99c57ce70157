import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import type { Response } from 'supertest';
import { ConfigError, loadConfig } from '../apps/api/src/config/app-config.js';
import type { DirectoryMediaStore } from '../apps/api/src/media/directory-media-store.js';
import { MEDIA_STORE } from '../apps/api/src/media/media-store.js';
import { MediaService } from '../apps/api/src/media/media.service.js';
import { createService } from '../apps/api/src/service.js';
import { codeOf, donationInput, RECORD_DONATION, registerCharity, startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';

const LIMIT = 64 * 1024;
const ISSUE_KEY = `mutation Issue($input: IssueApiKeyInput!) { issueApiKey(input: $input) { apiKey } }`;
const EXPENSE = `mutation Expense($input: RecordExpenseInput!) { recordExpense(input: $input) { sequence } }`;
const OPEN_PROJECT = `mutation Open($input: OpenProjectInput!) { openProject(input: $input) { sequence } }`;
const PROCURE = `mutation Procure($input: RecordProcurementInput!) { recordProcurement(input: $input) { sequence } }`;
const REVERSE = `mutation Reverse($input: ReverseEntryInput!) { reverseEntry(input: $input) { sequence } }`;

// ---- small real files, built here: file-type reads their first bytes ----

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 1×1 PNG; `padding` random bytes in a private chunk make it unique and as large as needed. */
function png(padding = 16): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('prVt', randomBytes(padding)),
    pngChunk('IDAT', deflateSync(Buffer.from([0, 0x2e, 0x8b, 0x57]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function jpeg(): Buffer {
  const comment = randomBytes(32);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(comment.length + 2);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'ascii'),
    Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0]),
    Buffer.from([0xff, 0xfe]),
    length,
    comment,
    Buffer.from([0xff, 0xd9]),
  ]);
}

function webp(): Buffer {
  const image = Buffer.from([0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0]);
  const chunk = Buffer.concat([Buffer.from('VP8L', 'ascii'), Buffer.from([image.length, 0, 0, 0]), image]);
  const extra = Buffer.concat([Buffer.from('XTRA', 'ascii'), Buffer.from([16, 0, 0, 0]), randomBytes(16)]);
  const body = Buffer.concat([Buffer.from('WEBP', 'ascii'), chunk, extra]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(body.length);
  return Buffer.concat([Buffer.from('RIFF', 'ascii'), size, body]);
}

/** An MP4 (ftyp box, then an mdat box of `dataBytes` random bytes): a video for range requests. */
function mp4(dataBytes = 10_000): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'ascii'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2', 'ascii')]);
  const mdatSize = Buffer.alloc(4);
  mdatSize.writeUInt32BE(dataBytes + 8);
  return Buffer.concat([ftyp, mdatSize, Buffer.from('mdat', 'ascii'), randomBytes(dataBytes)]);
}

function pdf(): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${randomBytes(8).toString('hex')}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'ascii');
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('evidence media', () => {
  let app: TestApp;
  let store: DirectoryMediaStore;
  let charityA: { id: string; apiKey: string };
  let charityB: { id: string; apiKey: string };
  let regulatorKey: string;
  let counter = 0;
  const key = (label: string) => `${label}-${++counter}-${Date.now()}`;

  beforeAll(async () => {
    app = await startTestApp({ mediaMaxBytes: LIMIT });
    store = app.service.app.get<DirectoryMediaStore>(MEDIA_STORE);
    charityA = await registerCharity(app, '深圳市影像证据慈善基金会');
    charityB = await registerCharity(app, '深圳市另一家慈善会');
    regulatorKey = (await app.gql(ISSUE_KEY, { input: { role: 'REGULATOR', label: 'civil affairs' } }, app.adminKey)).data!.issueApiKey.apiKey;
    // money in charity A's pool, for expenses that name media
    const gift = await app.gql(RECORD_DONATION, { input: donationInput(charityA.id, { amount: '5000.00' }) }, charityA.apiKey);
    expect(gift.errors).toBeUndefined();
  });

  afterAll(async () => {
    await app?.close();
  });

  const upload = (bytes: Buffer, options: { key?: string; filename?: string; contentType?: string; field?: string } = {}) => {
    let call = app.http().post('/media');
    if (options.key !== undefined) call = call.set('authorization', `Bearer ${options.key}`);
    return call.attach(options.field ?? 'file', bytes, { filename: options.filename ?? 'evidence.bin', contentType: options.contentType ?? 'application/octet-stream' });
  };

  /** GET /media/<hash> with the body as bytes, whatever its type. */
  const fetchMedia = (hash: string, headers: Record<string, string> = {}, method: 'get' | 'head' = 'get') => {
    let call = app.http()[method](`/media/${hash}`);
    for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
    return call.buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    }) as unknown as Promise<Response & { body: Buffer }>;
  };
  const errorOf = (response: Response) => JSON.parse(response.body.toString('utf8')) as { error: { code: string; message: string; field?: string } };

  /** Every file under the store's hash directories, and what is left in its temporary directory. */
  async function storeContents(): Promise<{ files: string[]; temporary: string[] }> {
    const files: string[] = [];
    for (const entry of await readdir(store.root, { withFileTypes: true })) {
      if (entry.isDirectory() && /^[0-9a-f]{2}$/.test(entry.name)) {
        for (const name of await readdir(path.join(store.root, entry.name))) files.push(name);
      }
    }
    return { files, temporary: await readdir(path.join(store.root, 'tmp')) };
  }

  const objectRows = async (hash: string) => app.db.query<{ content_type: string; size_bytes: string; uploaded_by: string }>('SELECT content_type, size_bytes, uploaded_by FROM media_object WHERE sha256 = $1', [hash]);

  async function expectNothingStored(hash: string): Promise<void> {
    expect(await objectRows(hash)).toHaveLength(0);
    expect(existsSync(store.localPath(hash))).toBe(false);
    expect((await storeContents()).temporary).toEqual([]);
  }

  const expense = (evidenceSha256: string) =>
    app.gql(
      EXPENSE,
      {
        input: {
          charityId: charityA.id,
          idempotencyKey: key('expense'),
          costClass: 'MANAGEMENT',
          amount: '10.00',
          currency: 'CNY',
          description: 'Office rent, March',
          evidenceSha256,
          incurredAt: new Date(Date.now() - 60_000).toISOString(),
        },
      },
      charityA.apiKey,
    );

  describe('upload', () => {
    it('stores a file under the SHA-256 that sha256sum computes, with the type found in its bytes', async () => {
      const bytes = png(20_000);
      const response = await upload(bytes, { key: charityA.apiKey, filename: 'photo.png', contentType: 'image/png' });
      expect(response.status).toBe(201);
      const expected = sha256(bytes);
      expect(response.body).toEqual({ sha256: expected, contentType: 'image/png', sizeBytes: bytes.length });
      expect(response.headers.location).toBe(`/media/${expected}`);

      // the coreutils tool agrees, on the file as sent and on the file as stored
      const folder = await mkdtemp(path.join(tmpdir(), 'charity-ledger-media-sample-'));
      try {
        await writeFile(path.join(folder, 'photo.png'), bytes);
        const { stdout } = await promisify(execFile)('sha256sum', [path.join(folder, 'photo.png'), store.localPath(expected)]);
        expect(stdout.split('\n').filter(Boolean).map((line) => line.split(/\s+/)[0])).toEqual([expected, expected]);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
      expect(await readFile(store.localPath(expected))).toEqual(bytes);
      expect(await objectRows(expected)).toEqual([{ content_type: 'image/png', size_bytes: String(bytes.length), uploaded_by: charityA.id }]);
      expect((await storeContents()).temporary).toEqual([]);
    });

    it.each([
      ['JPEG', jpeg, 'image/jpeg'],
      ['WebP', webp, 'image/webp'],
      ['MP4', () => mp4(), 'video/mp4'],
      ['PDF', pdf, 'application/pdf'],
    ])('accepts %s, whatever the name and Content-Type say', async (_name, make, contentType) => {
      const bytes = make();
      const response = await upload(bytes, { key: charityA.apiKey, filename: 'scan.txt', contentType: 'text/plain' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ sha256: sha256(bytes), contentType, sizeBytes: bytes.length });
    });

    it('stores the same file once, also when two uploads of it run at the same time', async () => {
      const bytes = png(5_000);
      const hash = sha256(bytes);
      const before = (await storeContents()).files.length;
      const [first, second] = await Promise.all([upload(bytes, { key: charityA.apiKey }), upload(bytes, { key: charityA.apiKey })]);
      const third = await upload(bytes, { key: charityA.apiKey });
      for (const response of [first, second, third]) {
        expect(response.status).toBe(201);
        expect(response.body.sha256).toBe(hash);
      }
      const after = await storeContents();
      expect(after.files.filter((name) => name === hash)).toHaveLength(1);
      expect(after.files.length).toBe(before + 1);
      expect(after.temporary).toEqual([]);
      expect(await objectRows(hash)).toHaveLength(1);
      expect(await readFile(store.localPath(hash))).toEqual(bytes);
    });

    it('refuses an HTML file named .jpg (415) and stores nothing', async () => {
      const html = Buffer.from(`<!doctype html><html><body><script>alert(document.cookie)</script>${randomBytes(8).toString('hex')}</body></html>`);
      const response = await upload(html, { key: charityA.apiKey, filename: 'receipt.jpg', contentType: 'image/jpeg' });
      expect(response.status).toBe(415);
      expect(response.body.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'file' });
      expect(response.body.error.message).toMatch(/JPEG, PNG, WebP, MP4 or PDF/);
      await expectNothingStored(sha256(html));
    });

    it('refuses a type it does not accept even when file-type knows it (GIF)', async () => {
      const gif = Buffer.concat([Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), randomBytes(8)]);
      const response = await upload(gif, { key: charityA.apiKey, filename: 'photo.png', contentType: 'image/png' });
      expect(response.status).toBe(415);
      await expectNothingStored(sha256(gif));
    });

    it('accepts a file of exactly MEDIA_MAX_BYTES and refuses one byte more (413), storing nothing', async () => {
      const exact = png(LIMIT - png(0).length);
      expect(exact.length).toBe(LIMIT);
      expect((await upload(exact, { key: charityA.apiKey })).status).toBe(201);

      const over = png(LIMIT - png(0).length + 1);
      const response = await upload(over, { key: charityA.apiKey });
      expect(response.status).toBe(413);
      expect(response.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'file' });
      expect(response.body.error.message).toContain(String(LIMIT));
      await expectNothingStored(sha256(over));
    });

    /**
     * Sends the start of a multipart upload and keeps the request open: a service
     * that buffered the body would wait for its end and never answer.
     */
    async function answerToUnfinishedUpload(bytes: Buffer): Promise<{ status: number; body: { error: { code: string } } }> {
      const server = app.service.app.getHttpServer();
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const boundary = `----media-${randomBytes(8).toString('hex')}`;
      const request = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/media',
        headers: { authorization: `Bearer ${charityA.apiKey}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      request.on('error', () => undefined);
      try {
        const answered = new Promise<{ status: number; body: { error: { code: string } } }>((resolve, reject) => {
          request.on('response', (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
            response.on('error', reject);
          });
        });
        request.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`);
        for (let offset = 0; offset < bytes.length; offset += 16 * 1024) request.write(bytes.subarray(offset, offset + 16 * 1024));
        // no request.end(): the body is unfinished
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('no answer while the upload was still open: the body is being buffered')), 15_000);
        });
        try {
          return await Promise.race([answered, timeout]);
        } finally {
          clearTimeout(timer);
        }
      } finally {
        request.destroy();
      }
    }

    it('streams: an upload beyond the limit is refused while the client is still sending, with nothing kept', async () => {
      const before = await storeContents();
      // a valid PNG (so only its size is wrong), four times the limit
      const answer = await answerToUnfinishedUpload(png(LIMIT * 4));
      expect(answer).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
      const after = await storeContents();
      expect(after.files).toEqual(before.files);
      expect(after.temporary).toEqual([]);
    });

    it('streams: a wrong type is refused from its first bytes, before the upload ends', async () => {
      const answer = await answerToUnfinishedUpload(Buffer.from(`<!doctype html><html><body>${'<p>page</p>'.repeat(1_000)}`));
      expect(answer).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
      expect((await storeContents()).temporary).toEqual([]);
    });

    it('refuses PUBLIC (401), REGULATOR and ADMIN (403) uploads, storing nothing', async () => {
      const bytes = png();
      const anonymous = await upload(bytes);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
      const regulator = await upload(bytes, { key: regulatorKey });
      expect(regulator.status).toBe(403);
      expect(regulator.body.error.code).toBe('FORBIDDEN');
      expect((await upload(bytes, { key: app.adminKey })).body.error.code).toBe('FORBIDDEN');
      expect((await upload(bytes, { key: 'clk_not-a-key' })).status).toBe(401);
      await expectNothingStored(sha256(bytes));
    });

    it('refuses a request without exactly one file part named "file" (400), storing nothing', async () => {
      const bytes = png();
      const json = await app.http().post('/media').set('authorization', `Bearer ${charityA.apiKey}`).send({ file: 'x' });
      expect(json.status).toBe(400);
      expect(json.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });

      const wrongName = await upload(bytes, { key: charityA.apiKey, field: 'photo' });
      expect(wrongName.status).toBe(400);
      expect(wrongName.body.error.message).toContain('"file"');

      const noFile = await app.http().post('/media').set('authorization', `Bearer ${charityA.apiKey}`).field('caption', 'no file here');
      expect(noFile.status).toBe(400);
      expect(noFile.body.error.code).toBe('BAD_USER_INPUT');

      const second = png();
      const two = await app
        .http()
        .post('/media')
        .set('authorization', `Bearer ${charityA.apiKey}`)
        .attach('file', bytes, { filename: 'a.png', contentType: 'image/png' })
        .attach('file', second, { filename: 'b.png', contentType: 'image/png' });
      expect(two.status).toBe(400);
      expect(two.body.error.message).toContain('exactly one file');
      await expectNothingStored(sha256(bytes));
      await expectNothingStored(sha256(second));

      const empty = await upload(Buffer.alloc(0), { key: charityA.apiKey });
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toContain('empty');
    });
  });

  describe('download', () => {
    let video: Buffer;
    let hash: string;

    beforeAll(async () => {
      video = mp4(10_000);
      hash = (await upload(video, { key: charityA.apiKey, filename: 'visit.mp4', contentType: 'video/mp4' })).body.sha256;
    });

    it('serves the file with its type, a strong ETag and its length', async () => {
      const response = await fetchMedia(hash, { authorization: `Bearer ${charityA.apiKey}` });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('video/mp4');
      expect(response.headers.etag).toBe(`"${hash}"`);
      expect(response.headers['accept-ranges']).toBe('bytes');
      expect(Number(response.headers['content-length'])).toBe(video.length);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.body).toEqual(video);

      const again = await fetchMedia(hash, { authorization: `Bearer ${charityA.apiKey}`, 'if-none-match': `"${hash}"` });
      expect(again.status).toBe(304);
      const head = await fetchMedia(hash, { authorization: `Bearer ${charityA.apiKey}` }, 'head');
      expect(head.status).toBe(200);
      expect(Number(head.headers['content-length'])).toBe(video.length);
    });

    it.each([
      ['bytes=100-199', 100, 199],
      ['bytes=9990-', 9990, undefined],
      ['bytes=-16', undefined, 16],
      ['bytes=0-0', 0, 0],
      ['bytes=10000-99999999', 10000, undefined],
    ])('answers Range %s with exactly those bytes (206)', async (range, start, end) => {
      const response = await fetchMedia(hash, { authorization: `Bearer ${charityA.apiKey}`, range });
      const first = start ?? video.length - end!;
      const last = start === undefined || end === undefined ? video.length - 1 : end;
      expect(response.status).toBe(206);
      expect(response.headers['content-range']).toBe(`bytes ${first}-${last}/${video.length}`);
      expect(response.body).toEqual(video.subarray(first, last + 1));
      expect(Number(response.headers['content-length'])).toBe(last - first + 1);
    });

    it('answers an unsatisfiable range with 416 and the file size', async () => {
      for (const range of [`bytes=${video.length}-`, `bytes=${video.length + 10}-${video.length + 20}`]) {
        const response = await fetchMedia(hash, { authorization: `Bearer ${charityA.apiKey}`, range });
        expect(response.status).toBe(416);
        expect(response.headers['content-range']).toBe(`bytes */${video.length}`);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.headers['content-disposition']).toBeUndefined();
        expect(errorOf(response).error.code).toBe('RANGE_NOT_SATISFIABLE');
      }
    });

    it('refuses a malformed hash (400)', async () => {
      const response = await fetchMedia(hash.toUpperCase());
      expect(response.status).toBe(400);
      expect(errorOf(response).error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sha256' });
    });
  });

  describe('visibility', () => {
    it('keeps a file to its uploader, regulators and admins until an entry references it; then anyone may read it', async () => {
      const bytes = pdf();
      const hash = (await upload(bytes, { key: charityA.apiKey, filename: 'rent-invoice.pdf' })).body.sha256;
      const unknown = sha256(randomBytes(32));

      const anonymous = await fetchMedia(hash);
      expect(anonymous.status).toBe(404);
      // exactly what a hash that was never uploaded gets: nothing tells that the file exists
      const neverUploaded = await fetchMedia(unknown);
      expect(neverUploaded.status).toBe(404);
      expect(errorOf(anonymous).error.code).toBe('NOT_FOUND');
      expect(errorOf(anonymous).error.message).toBe(errorOf(neverUploaded).error.message.replace(unknown, hash));
      expect((await fetchMedia(hash, { authorization: `Bearer ${charityB.apiKey}` })).status).toBe(404);

      const own = await fetchMedia(hash, { authorization: `Bearer ${charityA.apiKey}` });
      expect(own.status).toBe(200);
      expect(own.body).toEqual(bytes);
      expect(own.headers['content-type']).toBe('application/pdf');
      expect(own.headers['cache-control']).toBe('private, no-cache');
      expect((await fetchMedia(hash, { authorization: `Bearer ${regulatorKey}` })).status).toBe(200);
      expect((await fetchMedia(hash, { authorization: `Bearer ${app.adminKey}` })).status).toBe(200);

      const recorded = await expense(hash);
      expect(recorded.errors).toBeUndefined();
      const sequence = recorded.data!.recordExpense.sequence as number;
      expect(await app.db.query('SELECT charity_id, entry_sequence::int AS entry_sequence FROM media_reference WHERE sha256 = $1', [hash])).toEqual([
        { charity_id: charityA.id, entry_sequence: sequence },
      ]);

      const published = await fetchMedia(hash);
      expect(published.status).toBe(200);
      expect(published.body).toEqual(bytes);
      expect(published.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await fetchMedia(hash, { authorization: `Bearer ${charityB.apiKey}` })).status).toBe(200);

      // a reversed entry stays on the public ledger, and so does what it names
      const reversal = await app.gql(REVERSE, { input: { charityId: charityA.id, idempotencyKey: key('reverse'), sequence, reason: '更正：重复录入' } }, charityA.apiKey);
      expect(reversal.errors).toBeUndefined();
      expect((await fetchMedia(hash)).status).toBe(200);
    });

    it('makes a procurement invoice public once it is recorded', async () => {
      const invoice = pdf();
      const hash = (await upload(invoice, { key: charityA.apiKey })).body.sha256;
      expect((await fetchMedia(hash)).status).toBe(404);
      const opened = await app.gql(
        OPEN_PROJECT,
        {
          input: {
            charityId: charityA.id,
            idempotencyKey: key('open'),
            projectId: 'P-MEDIA',
            title: '轮椅进社区',
            purpose: 'Wheelchairs',
            category: 'DISABILITY_SUPPORT',
            region: { code: 'SZ-FUTIAN' },
            startDate: '2026-01-01',
            endDate: '2026-12-31',
            budget: '5000.00',
            currency: 'CNY',
            publicFundraising: false,
          },
        },
        charityA.apiKey,
      );
      expect(opened.errors).toBeUndefined();
      const procured = await app.gql(
        PROCURE,
        {
          input: {
            charityId: charityA.id,
            idempotencyKey: key('procure'),
            projectId: 'P-MEDIA',
            supplier: { name: '深圳康复器材有限公司', creditCode: '91350100M000100Y43' },
            lines: [{ description: 'Manual wheelchair', itemCode: 'WHEELCHAIR-STD', quantity: 1, unit: 'piece', unitPrice: '20.00' }],
            total: '20.00',
            currency: 'CNY',
            invoice: { sha256: hash },
            purchasedAt: new Date(Date.now() - 60_000).toISOString(),
          },
        },
        charityA.apiKey,
      );
      expect(procured.errors).toBeUndefined();
      expect((await fetchMedia(hash)).status).toBe(200);
    });

    it('lets an entry name a hash that was never uploaded (an invoice kept on paper)', async () => {
      const paper = sha256(randomBytes(64));
      const recorded = await expense(paper);
      expect(recorded.errors).toBeUndefined();
      expect(codeOf(recorded)).toBeUndefined();
      expect((await fetchMedia(paper)).status).toBe(404);
      expect(await app.db.query('SELECT 1 FROM media_reference WHERE sha256 = $1', [paper])).toHaveLength(1);
    });
  });

  describe('MediaService.missing', () => {
    it('names the hashes a charity cannot use: not stored, or only another charity’s and not yet public', async () => {
      const media = app.service.app.get(MediaService);
      const privateToA = (await upload(png(), { key: charityA.apiKey })).body.sha256 as string;
      const publicOfA = (await upload(png(), { key: charityA.apiKey })).body.sha256 as string;
      expect((await expense(publicOfA)).errors).toBeUndefined();
      const unknown = sha256(randomBytes(16));

      expect(await media.missing([privateToA, publicOfA, unknown, privateToA], charityA.id)).toEqual([unknown]);
      expect(await media.missing([privateToA, publicOfA, unknown], charityB.id)).toEqual([privateToA, unknown]);
      expect(await media.missing([], charityB.id)).toEqual([]);
      expect(await media.missing(['not-a-hash'], charityA.id)).toEqual(['not-a-hash']);

      // the same bytes uploaded by B: B may now use and read them too, A's copy is the one stored
      const shared = await readFile(store.localPath(privateToA));
      expect((await upload(shared, { key: charityB.apiKey })).status).toBe(201);
      expect(await media.missing([privateToA], charityB.id)).toEqual([]);
      expect((await fetchMedia(privateToA, { authorization: `Bearer ${charityB.apiKey}` })).status).toBe(200);
      expect(await objectRows(privateToA)).toEqual([expect.objectContaining({ uploaded_by: charityA.id })]);
      expect((await fetchMedia(privateToA)).status).toBe(404);
    });
  });

  it('refuses to start when MEDIA_DIR cannot be used, naming the setting', async () => {
    const db = await createTestDatabase(false);
    const folder = await mkdtemp(path.join(tmpdir(), 'charity-ledger-media-dir-'));
    const notADirectory = path.join(folder, 'a-file');
    await writeFile(notADirectory, 'x');
    try {
      const starting = createService(loadConfig({}, { databaseUrl: db.ownerUrl, logLevel: 'error', dataDir: folder, mediaDir: notADirectory }));
      await expect(starting).rejects.toBeInstanceOf(ConfigError);
      await expect(starting).rejects.toThrow(`MEDIA_DIR: ${notADirectory} cannot be created or written (ENOTDIR)`);
    } finally {
      await db.drop();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

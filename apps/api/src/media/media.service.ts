import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import busboy from 'busboy';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { MEDIA_STORE, type MediaStore, type PendingMedia } from './media-store.js';
import { MediaTypeCheck } from './media-types.js';

const SHA256 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What POST /media answers. */
export interface UploadedMedia {
  sha256: string;
  contentType: string;
  sizeBytes: number;
}

/** A stored file the caller may read. */
export interface ReadableMedia extends UploadedMedia {
  /** Referenced by a ledger entry, so anyone may read it. */
  public: boolean;
}

interface ReceivedUpload {
  pending: PendingMedia;
  contentType: string;
}

/**
 * Evidence media: uploads streamed into the MediaStore under their SHA-256 (type
 * read from the content, size limited), and who may read them. A file is public
 * once a ledger entry references it (MediaReferenceProjector); before that, only
 * the charities that uploaded it, regulators and admins may.
 */
@Injectable()
export class MediaService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MEDIA_STORE) private readonly store: MediaStore,
    private readonly config: AppConfig,
  ) {}

  /**
   * Stores the one file of a multipart/form-data request for the calling charity.
   * The answer is the same whether the bytes were stored before or not, so it never
   * tells a charity what another one uploaded.
   */
  async upload(actor: Actor, request: IncomingMessage): Promise<UploadedMedia> {
    if (actor.role !== Role.CHARITY || !actor.charityId) throw DomainError.forbidden('Only a CHARITY key uploads media.');
    const { pending, contentType } = await this.receive(request);
    try {
      await pending.commit();
    } catch (error) {
      await pending.discard();
      throw error;
    }
    // the bytes are in place before the rows: a row never names a missing file
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO media_object (sha256, content_type, size_bytes, uploaded_by) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`,
        [pending.sha256, contentType, pending.sizeBytes, actor.charityId],
      );
      await manager.query(`INSERT INTO media_uploader (sha256, charity_id) VALUES ($1, $2) ON CONFLICT (sha256, charity_id) DO NOTHING`, [
        pending.sha256,
        actor.charityId,
      ]);
    });
    return { sha256: pending.sha256, contentType, sizeBytes: pending.sizeBytes };
  }

  /**
   * The stored file under this hash, if the caller may read it. A file the caller
   * may not read is NOT_FOUND, exactly like one that is not stored.
   */
  async readable(actor: Actor, sha256: string): Promise<ReadableMedia> {
    if (!SHA256.test(sha256)) throw DomainError.badInput('sha256', 'must be a SHA-256 in lowercase hex (64 characters)');
    const rows = (await this.dataSource.query(
      `SELECT o.content_type, o.size_bytes,
              EXISTS (SELECT 1 FROM media_reference r WHERE r.sha256 = o.sha256) AS public,
              EXISTS (SELECT 1 FROM media_uploader u WHERE u.sha256 = o.sha256 AND u.charity_id = $2) AS own
         FROM media_object o WHERE o.sha256 = $1`,
      [sha256, actor.role === Role.CHARITY ? actor.charityId : null],
    )) as Array<{ content_type: string; size_bytes: string; public: boolean; own: boolean }>;
    const row = rows[0];
    const privileged = actor.role === Role.REGULATOR || actor.role === Role.ADMIN;
    if (!row || !(row.public || row.own || privileged)) {
      throw DomainError.notFound(`No media ${sha256} is available to you: it is public once a ledger entry references it.`);
    }
    return { sha256, contentType: row.content_type, sizeBytes: Number(row.size_bytes), public: row.public };
  }

  /**
   * The hashes among `sha256s` that `charityId` cannot name as media: not stored,
   * or stored only by other charities and not yet public. Each once, in the order given.
   */
  async missing(sha256s: string[], charityId: string): Promise<string[]> {
    const wanted = [...new Set(sha256s)];
    const wellFormed = wanted.filter((sha256) => SHA256.test(sha256));
    if (wellFormed.length === 0 || !UUID.test(charityId)) return wanted;
    const rows = (await this.dataSource.query(
      `SELECT o.sha256 FROM media_object o
        WHERE o.sha256 = ANY ($1::text[])
          AND (EXISTS (SELECT 1 FROM media_uploader u WHERE u.sha256 = o.sha256 AND u.charity_id = $2)
               OR EXISTS (SELECT 1 FROM media_reference r WHERE r.sha256 = o.sha256))`,
      [wellFormed, charityId],
    )) as Array<{ sha256: string }>;
    const usable = new Set(rows.map((row) => row.sha256));
    return wanted.filter((sha256) => !usable.has(sha256));
  }

  /**
   * Streams the request's file part through the type check into the store. Any
   * failure stops reading the upload (the rest of the body is discarded as it
   * arrives, never kept) and removes what was written, before the error is answered.
   */
  private receive(request: IncomingMessage): Promise<ReceivedUpload> {
    const contentType = request.headers['content-type'] ?? '';
    if (!/^multipart\/form-data\s*;/i.test(contentType)) {
      return Promise.reject(DomainError.badInput('file', 'send the file as multipart/form-data, in a part named "file"'));
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        // busboy signals `limit` on reaching fileSize: one byte more than allowed is the first refused
        limits: { files: 1, fileSize: this.config.mediaMaxBytes + 1, fields: 8, fieldSize: 1024, parts: 10 },
      });
    } catch {
      return Promise.reject(DomainError.badInput('file', 'the multipart/form-data header has no valid boundary'));
    }

    return new Promise<ReceivedUpload>((resolve, reject) => {
      let check: MediaTypeCheck | undefined;
      let stored: Promise<PendingMedia> | undefined;
      // set once the upload is refused or answered: later events change nothing
      let settled = false;

      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        request.unpipe(parser);
        request.resume();
        check?.destroy(error);
        // answer only once the temporary file is gone
        void (stored ?? Promise.resolve(undefined))
          .then((pending) => pending?.discard())
          .catch(() => undefined)
          .finally(() => reject(error));
      };

      parser.on('file', (name, file) => {
        if (settled) {
          file.resume();
          return;
        }
        if (name !== 'file') {
          file.resume();
          fail(DomainError.badInput('file', `the file must be in a part named "file", not "${name}"`));
          return;
        }
        check = new MediaTypeCheck();
        file.on('limit', () =>
          fail(
            new DomainError(
              ErrorCode.PAYLOAD_TOO_LARGE,
              `file: larger than the limit of ${this.config.mediaMaxBytes} bytes (MEDIA_MAX_BYTES)`,
              'file',
            ),
          ),
        );
        file.on('error', () => fail(DomainError.badInput('file', 'the upload ended before the file did')));
        stored = this.store.put(file.pipe(check));
        stored.catch(fail);
      });
      parser.on('filesLimit', () => fail(DomainError.badInput('file', 'send exactly one file')));
      parser.on('partsLimit', () => fail(DomainError.badInput('file', 'too many parts: send one file, in a part named "file"')));
      parser.on('fieldsLimit', () => fail(DomainError.badInput('file', 'too many fields: send one file, in a part named "file"')));
      parser.on('error', (error: Error) => fail(DomainError.badInput('file', `the multipart/form-data body is malformed (${error.message})`)));
      parser.on('close', () => {
        if (settled) return;
        if (!stored || !check) {
          fail(DomainError.badInput('file', 'no file: send the file in a part named "file"'));
          return;
        }
        const typeCheck = check;
        stored.then((pending) => {
          if (settled) return;
          settled = true;
          resolve({ pending, contentType: typeCheck.contentType! });
        }, fail);
      });
      request.on('error', () => fail(DomainError.badInput('file', 'the upload was interrupted')));
      request.on('close', () => {
        // nobody is left to answer; failing still removes the temporary file
        if (!request.complete) fail(DomainError.badInput('file', 'the client closed the connection during the upload'));
      });
      request.pipe(parser);
    });
  }
}

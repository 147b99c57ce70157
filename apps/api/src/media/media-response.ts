import { HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import type { ByteRange, MediaStore } from './media-store.js';
import { ACCEPTED_MEDIA_TYPES } from './media-types.js';
import type { ReadableMedia } from './media.service.js';

const ONE_YEAR_SECONDS = 31_536_000;

/**
 * Answers GET (and HEAD) of a stored file: its content type, a strong ETag (the
 * hash), caching (immutable once public) and single byte ranges (206 with
 * Content-Range; 416 when unsatisfiable). A store with local files is served by
 * Express's send module; any other through its read stream.
 */
export async function sendMedia(request: Request, response: Response, store: MediaStore, media: ReadableMedia): Promise<void> {
  const extension = ACCEPTED_MEDIA_TYPES.get(media.contentType) ?? 'bin';
  response.setHeader('Content-Type', media.contentType);
  response.setHeader('ETag', `"${media.sha256}"`);
  response.setHeader('Content-Disposition', `inline; filename="${media.sha256}.${extension}"`);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (media.public) {
    response.setHeader('Cache-Control', `public, max-age=${ONE_YEAR_SECONDS}, immutable`);
  } else {
    // only some callers may read it yet, and that changes once an entry references it
    response.setHeader('Cache-Control', 'private, no-cache');
    response.setHeader('Vary', 'Authorization');
  }
  const localPath = store.localPath?.(media.sha256);
  if (localPath) await sendLocalFile(response, localPath);
  else sendStream(request, response, store, media);
}

function sendLocalFile(response: Response, localPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // the headers above win: send only adds what is missing (Accept-Ranges, Content-Length, Content-Range)
    response.sendFile(localPath, { acceptRanges: true, cacheControl: false, lastModified: false, dotfiles: 'allow' }, (error?: unknown) => {
      if (!error) return resolve();
      const failure = error as Error & { status?: number; code?: string; headers?: Record<string, string> };
      if (failure.code === 'ECONNABORTED') return resolve();
      if (failure.status === HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE) {
        return reject(unsatisfiable(response, failure.headers?.['Content-Range'] ?? ''));
      }
      if (failure.status === HttpStatus.PRECONDITION_FAILED) {
        response.status(HttpStatus.PRECONDITION_FAILED).end();
        return resolve();
      }
      reject(failure);
    });
  });
}

// Node's own response API only, so that it runs outside Express too (media-response.spec.ts)
function sendStream(request: Request, response: Response, store: MediaStore, media: ReadableMedia): void {
  response.setHeader('Accept-Ranges', 'bytes');
  const etag = `"${media.sha256}"`;
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && (ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))) {
    response.statusCode = HttpStatus.NOT_MODIFIED;
    response.end();
    return;
  }
  const ifRange = request.headers['if-range'];
  const range = ifRange === undefined || ifRange === etag ? parseRange(request.headers.range, media.sizeBytes) : undefined;
  if (range === 'unsatisfiable') throw unsatisfiable(response, `bytes */${media.sizeBytes}`);
  if (range) {
    response.statusCode = HttpStatus.PARTIAL_CONTENT;
    response.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${media.sizeBytes}`);
  }
  response.setHeader('Content-Length', range ? range.end - range.start + 1 : media.sizeBytes);
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = store.openReadStream(media.sha256, range);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

/**
 * One range of `bytes=` (first-last, first-, or -suffix), clipped to the file;
 * undefined when there is no Range header or it is not one valid range (then the
 * whole file is sent, as RFC 9110 allows).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const match = header?.trim().match(/^bytes=(\d*)-(\d*)$/);
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1) };
}

function unsatisfiable(response: Response, contentRange: string): DomainError {
  response.setHeader('Content-Range', contentRange);
  return new DomainError(ErrorCode.RANGE_NOT_SATISFIABLE, `Range: outside the file (${contentRange})`, 'Range');
}

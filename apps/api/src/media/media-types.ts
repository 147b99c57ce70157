import { Transform, type TransformCallback } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { DomainError, ErrorCode } from '../common/domain-error.js';

/** Types a charity may upload, as found in the content, with the extension they are served under. */
export const ACCEPTED_MEDIA_TYPES: ReadonlyMap<string, string> = new Map([
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
  ['image/webp', 'webp'],
  ['video/mp4', 'mp4'],
  ['application/pdf', 'pdf'],
]);

/** How much of the start of a file file-type needs to tell its type (its own "reasonable detection size"). */
export const DETECTION_BYTES = 4_100;

/** The accepted type of these first bytes, or undefined. */
export async function detectMediaType(head: Uint8Array): Promise<string | undefined> {
  let mime: string | undefined;
  try {
    mime = (await fileTypeFromBuffer(head))?.mime;
  } catch {
    // a malformed header is just not a type we know
    return undefined;
  }
  return mime !== undefined && ACCEPTED_MEDIA_TYPES.has(mime) ? mime : undefined;
}

export function unsupportedMediaType(): DomainError {
  return new DomainError(
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    `file: the content is not an accepted type (JPEG, PNG, WebP, MP4 or PDF); the type is read from the bytes, not from the name or Content-Type`,
    'file',
  );
}

/**
 * Passes an upload through while reading its type from the first bytes: it fails
 * with UNSUPPORTED_MEDIA_TYPE as soon as those bytes are in, so a refused upload
 * stops early. Only the first DETECTION_BYTES are kept in memory.
 */
export class MediaTypeCheck extends Transform {
  /** The type found, once the first bytes have passed. */
  contentType: string | undefined;
  private head: Buffer[] = [];
  private headLength = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.contentType !== undefined) {
      callback(null, chunk);
      return;
    }
    this.head.push(chunk.subarray(0, DETECTION_BYTES - this.headLength));
    this.headLength += Math.min(chunk.length, DETECTION_BYTES - this.headLength);
    this.push(chunk);
    if (this.headLength < DETECTION_BYTES) {
      callback();
      return;
    }
    this.detect().then(() => callback(), callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.contentType !== undefined) {
      callback();
      return;
    }
    if (this.headLength === 0) {
      callback(DomainError.badInput('file', 'the file is empty'));
      return;
    }
    this.detect().then(() => callback(), callback);
  }

  private async detect(): Promise<void> {
    const head = Buffer.concat(this.head);
    this.head = [];
    const type = await detectMediaType(head);
    if (!type) throw unsupportedMediaType();
    this.contentType = type;
  }
}

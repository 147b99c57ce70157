import type { Readable } from 'node:stream';

/** An inclusive byte range of a stored file, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/** A file written to the store's temporary place, not yet visible under its hash. */
export interface PendingMedia {
  /** SHA-256 of the bytes, lowercase hex. */
  sha256: string;
  sizeBytes: number;
  /**
   * Makes the file readable under its hash, atomically: readers see all of it or
   * nothing. Committing bytes that are already stored (a duplicate, or a concurrent
   * upload of the same file) keeps one copy.
   */
  commit(): Promise<void>;
  /** Removes the temporary file. */
  discard(): Promise<void>;
}

/**
 * Where media bytes live, named by their SHA-256. The service checks type, size and
 * access; a store only keeps bytes. DirectoryMediaStore is the default; an
 * S3-compatible store would put to a temporary key, then copy to the hash's key on
 * commit (docs/operations.md, "Media").
 */
export interface MediaStore {
  /** Readies the store at start (creates the directory, clears stale temporary files); fails when it cannot be used. */
  open(): Promise<void>;
  /**
   * Streams `source` to a temporary place while hashing it, and never holds more
   * than a chunk in memory. If `source` fails (the upload was refused or cut
   * off), the temporary file is removed and the error is rethrown.
   */
  put(source: Readable): Promise<PendingMedia>;
  exists(sha256: string): Promise<boolean>;
  /** The size of a stored file, or null when none is stored under this hash. */
  stat(sha256: string): Promise<{ sizeBytes: number } | null>;
  /** The file's bytes, or one range of them. */
  openReadStream(sha256: string, range?: ByteRange): Readable;
  /**
   * The local file holding the bytes, when the store has one: it is then served
   * with Express's send module (ranges, conditional requests, zero-copy). Stores
   * without local files leave this out and are served through openReadStream.
   */
  localPath?(sha256: string): string;
}

/** Injection token of the MediaStore. */
export const MEDIA_STORE = Symbol('MediaStore');

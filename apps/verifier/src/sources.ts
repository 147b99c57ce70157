import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { UsageError } from './verification.js';

/** Whether a source names an http(s) URL rather than a file. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

export interface LineSource {
  /** Lines in batches (one batch per chunk read), without their newlines; blank lines are skipped. */
  batches: AsyncIterable<string[]>;
  /** Size in bytes when known. */
  totalBytes: number | null;
}

/** Opens an export file or URL as a stream of lines, read in large chunks (never all at once). */
export async function openLines(source: string): Promise<LineSource> {
  if (isUrl(source)) {
    let response: Response;
    try {
      response = await fetch(source, { headers: { accept: 'application/x-ndjson' } });
    } catch (error) {
      throw new UsageError(`cannot fetch ${source}: ${causeOf(error)}`);
    }
    if (!response.ok || !response.body) {
      throw new UsageError(`cannot fetch ${source}: HTTP ${response.status} ${await errorText(response)}`);
    }
    const length = Number(response.headers.get('content-length'));
    return { batches: splitLines(response.body as unknown as AsyncIterable<Uint8Array>), totalBytes: Number.isFinite(length) && length > 0 ? length : null };
  }
  let size: number;
  try {
    size = (await stat(source)).size;
  } catch (error) {
    throw new UsageError(`cannot read ${source}: ${(error as Error).message}`);
  }
  return { batches: splitLines(createReadStream(source, { highWaterMark: 1 << 20 })), totalBytes: size };
}

/** A small text resource (keys, a checkpoint): a file or a URL. */
export async function readText(source: string, what: string): Promise<string> {
  if (isUrl(source)) {
    let response: Response;
    try {
      response = await fetch(source);
    } catch (error) {
      throw new UsageError(`cannot fetch ${what} from ${source}: ${causeOf(error)}`);
    }
    if (!response.ok) throw new UsageError(`cannot fetch ${what} from ${source}: HTTP ${response.status} ${await errorText(response)}`);
    return response.text();
  }
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} from ${source}: ${(error as Error).message}`);
  }
}

async function* splitLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  let rest: Buffer | null = null;
  for await (const chunk of chunks) {
    const incoming = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buffer: Buffer = rest ? Buffer.concat([rest, incoming]) : incoming;
    const lines: string[] = [];
    let start = 0;
    for (let end = buffer.indexOf(10, start); end !== -1; end = buffer.indexOf(10, start)) {
      if (end > start) lines.push(buffer.toString('utf8', start, end));
      start = end + 1;
    }
    rest = start < buffer.length ? Buffer.from(buffer.subarray(start)) : null;
    if (lines.length > 0) yield lines;
  }
  if (rest && rest.length > 0) yield [rest.toString('utf8')];
}

export function causeOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

async function errorText(response: Response): Promise<string> {
  const text = (await response.text().catch(() => '')).trim();
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } };
    if (parsed.error?.message) return `(${parsed.error.message})`;
  } catch {
    // not JSON: show the start of it
  }
  return text ? `(${text.slice(0, 200)})` : '';
}

import type { Response } from 'express';

/**
 * Writes a document to an HTTP response as it is produced, waiting while the client
 * reads (memory stays at one chunk), and stops when the client goes away. The status
 * line and headers are set by the caller. A failure part-way is handed to `failed`
 * (to log it) and cuts the connection, so that a truncated document never looks
 * complete.
 */
export async function streamResponse(response: Response, chunks: AsyncIterable<string>, failed: (error: unknown) => void): Promise<void> {
  let gone = false;
  response.once('close', () => (gone = true));
  try {
    for await (const chunk of chunks) {
      if (gone) return;
      if (!response.write(chunk)) await drained(response);
    }
    response.end();
  } catch (error) {
    failed(error);
    response.destroy();
  }
}

/** Resolves when the response can take more, or is gone. */
function drained(response: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

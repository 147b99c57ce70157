import { Controller, Get, HttpStatus, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { statSync } from 'node:fs';
import path from 'node:path';

/** Folder holding the built explorer (index.html and assets/), see tools/build-explorer.mjs. */
export const EXPLORER_DIRECTORY = Symbol('EXPLORER_DIRECTORY');

export const EXPLORER_PATH = '/explorer';

// Only what tools/build-explorer.mjs emits; anything else is not ours to serve.
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

// A plain file name: no separators, no leading dot, so never `..` or a dotfile.
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
// esbuild's [name]-[hash] file names: the content hash makes them safe to cache for good.
const HASHED_NAME = /-[A-Z0-9]{8}\.[a-z0-9]+$/;

const NOT_BUILT =
  'The GraphQL explorer has not been built. Run `npm run build` (or `npm run build:explorer`), then reload.\n';

/**
 * Serves the bundled GraphiQL from the service's own origin: the CDN-based IDEs
 * (Apollo Sandbox, GraphiQL from unpkg) never load on a closed network.
 */
@Controller()
export class ExplorerController {
  private readonly directory: string;
  private readonly assetsDirectory: string;

  constructor(@Inject(EXPLORER_DIRECTORY) directory: string) {
    // Absolute, so that the containment check below compares like with like.
    this.directory = path.resolve(directory);
    this.assetsDirectory = path.join(this.directory, 'assets');
  }

  // The service has no home page of its own: send people to the explorer.
  @Get()
  home(@Res() response: Response): void {
    response.redirect(HttpStatus.FOUND, EXPLORER_PATH);
  }

  @Get('explorer')
  page(@Res() response: Response): void {
    const file = path.join(this.directory, 'index.html');
    if (!isFile(file)) {
      // A 503 with the fix, rather than a bare 404 that looks like a wrong URL.
      response.status(HttpStatus.SERVICE_UNAVAILABLE).type('text/plain; charset=utf-8').send(NOT_BUILT);
      return;
    }
    // The page names the current hashed assets: it must be revalidated on every load.
    response.setHeader('Cache-Control', 'no-cache');
    response.type('text/html; charset=utf-8');
    response.sendFile(file, { cacheControl: false }, (error) => this.notFoundOnError(error, response));
  }

  @Get('explorer/assets/:file')
  asset(@Param('file') name: string, @Res() response: Response): void {
    // Express has already decoded the parameter, so `..%2F` arrives here as `../`:
    // allow only plain names of regular files directly inside the assets folder.
    const contentType = CONTENT_TYPES[path.extname(name)];
    const file = path.join(this.assetsDirectory, name);
    if (!ASSET_NAME.test(name) || !contentType || path.dirname(file) !== this.assetsDirectory || !isFile(file)) {
      response.status(HttpStatus.NOT_FOUND).type('text/plain; charset=utf-8').send('Not found\n');
      return;
    }
    response.type(contentType);
    response.setHeader(
      'Cache-Control',
      HASHED_NAME.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    response.sendFile(name, { root: this.assetsDirectory, dotfiles: 'deny', cacheControl: false }, (error) =>
      this.notFoundOnError(error, response),
    );
  }

  // The file can vanish between the check and the read (a rebuild in progress).
  private notFoundOnError(error: Error | undefined, response: Response): void {
    if (error && !response.headersSent) {
      response.status(HttpStatus.NOT_FOUND).type('text/plain; charset=utf-8').send('Not found\n');
    }
  }
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

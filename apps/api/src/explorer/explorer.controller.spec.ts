import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';

import { EXPLORER_DIRECTORY } from './explorer.controller.js';
import { ExplorerModule } from './explorer.module.js';
import { EXPLORER_ROLES, EXPLORER_TABS, ROLE_HEADERS, SAVED_OPERATIONS } from './saved-operations.js';

// The module's default: dist/explorer under the working directory (npm test runs from the root).
const BUNDLE_DIR = path.resolve(process.cwd(), 'dist', 'explorer');
const ASSETS_DIR = path.join(BUNDLE_DIR, 'assets');

// Hosts that serve code to browsers; the explorer must load nothing from any of them.
const CDN_URL =
  /(?:https?:)?\/\/[^\s"'`)]*(?:unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|esm\.sh|googleapis\.com|gstatic\.com|skypack\.dev|jspm\.io|jspm\.dev|esm\.run)/gi;
const JAVASCRIPT = /^(?:text|application)\/javascript\b/;
const CSS = /^text\/css\b/;

async function startApp(directory?: string): Promise<{ app: INestApplication; baseUrl: string }> {
  let builder = Test.createTestingModule({ imports: [ExplorerModule] });
  if (directory !== undefined) builder = builder.overrideProvider(EXPLORER_DIRECTORY).useValue(directory);
  const app = (await builder.compile()).createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: await app.getUrl() };
}

/** GET with the path sent byte for byte: HTTP clients would normalise `..` away. */
function rawGet(baseUrl: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: rawPath }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function isSameOrigin(url: string): boolean {
  // Relative or root-relative; never a scheme (http:, https:, data:) nor protocol-relative `//`.
  return !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('//');
}

function builtFiles(extension: string): string[] {
  return readdirSync(ASSETS_DIR).filter((file) => file.endsWith(extension));
}

describe('ExplorerController with the built bundle', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    // Never skip: a missing bundle means the explorer is broken for users too.
    if (!existsSync(path.join(BUNDLE_DIR, 'index.html'))) {
      throw new Error(
        `No explorer bundle in ${BUNDLE_DIR}: run \`npm run build:explorer\` (or \`npm run build\`) first.`,
      );
    }
    ({ app, baseUrl } = await startApp());
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves the explorer page as HTML that must be revalidated', async () => {
    const response = await request(baseUrl).get('/explorer').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.text).toContain('<div id="explorer">');
  });

  it('references only same-origin scripts and styles, all of which are served with their type', async () => {
    const html = (await request(baseUrl).get('/explorer').expect(200)).text;
    const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]*)"/g)].map((match) => match[1]!);
    const links = [...html.matchAll(/<link\b[^>]*\bhref="([^"]*)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    expect(links.length).toBeGreaterThan(0);
    expect([...scripts, ...links].filter((url) => !isSameOrigin(url))).toEqual([]);

    for (const [urls, type] of [
      [scripts, JAVASCRIPT],
      [links, CSS],
    ] as const) {
      for (const url of urls) {
        const response = await request(baseUrl).get(new URL(url, `${baseUrl}/explorer`).pathname);
        expect({ url, status: response.status }).toEqual({ url, status: 200 });
        expect(response.headers['content-type']).toMatch(type);
        expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      }
    }
  });

  it('serves every asset the bundle loads later: lazy chunks, Monaco workers and fonts', async () => {
    const code = [...builtFiles('.js'), ...builtFiles('.css')]
      .map((file) => readFileSync(path.join(ASSETS_DIR, file), 'utf8'))
      .join('\n');
    const referenced = new Set([...code.matchAll(/\/explorer\/assets\/([A-Za-z0-9._-]+)/g)].map((match) => match[1]!));
    // The workers are named by file and resolved against the bundle's own URL.
    const workers = new Set([...code.matchAll(/"((?:editor|json|graphql)\.worker-[A-Z0-9]+\.js)"/g)].map((m) => m[1]!));
    expect([...workers].map((file) => file.split('.')[0]).sort()).toEqual(['editor', 'graphql', 'json']);

    for (const file of [...referenced, ...workers]) {
      const response = await request(baseUrl).get(`/explorer/assets/${file}`);
      expect({ file, status: response.status }).toEqual({ file, status: 200 });
      const expected = file.endsWith('.js') ? JAVASCRIPT : file.endsWith('.css') ? CSS : /^font\//;
      expect(response.headers['content-type']).toMatch(expected);
    }
  });

  it('loads no code from a CDN', () => {
    const offenders = [path.join(BUNDLE_DIR, 'index.html'), ...[...builtFiles('.js'), ...builtFiles('.css')].map((f) => path.join(ASSETS_DIR, f))]
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(CDN_URL)].map((match) => `${path.basename(file)}: ${match[0]}`));
    expect(offenders).toEqual([]);
  });

  it('bundles the saved operations from saved-operations.ts', () => {
    const code = builtFiles('.js')
      .map((file) => readFileSync(path.join(ASSETS_DIR, file), 'utf8'))
      .join('\n');
    for (const operation of SAVED_OPERATIONS) expect(code).toContain(operation.name);
  });

  it('bundles a graphql-ws client for subscriptions (the live feed)', () => {
    const code = builtFiles('.js')
      .map((file) => readFileSync(path.join(ASSETS_DIR, file), 'utf8'))
      .join('\n');
    // the WebSocket subprotocol of graphql-ws, which the service speaks on /graphql
    expect(code).toContain('graphql-transport-ws');
    expect(code).toContain('/graphql');
  });

  // dist/explorer/assets/../../../package.json is the project's package.json: these
  // paths would reach it (or index.html, outside assets/) if the checks were missing.
  it.each([
    '/explorer/assets/../../package.json',
    '/explorer/assets/../../../package.json',
    '/explorer/assets/..%2F..%2F..%2Fpackage.json',
    '/explorer/assets/..%2f..%2f..%2fpackage.json',
    '/explorer/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
    '/explorer/assets/%2E%2E/%2E%2E/%2E%2E/package.json',
    '/explorer/assets/..%5C..%5C..%5Cpackage.json',
    '/explorer/assets/%252e%252e%252f%252e%252e%252f%252e%252e%252fpackage.json',
    `/explorer/assets/${encodeURIComponent(path.resolve('package.json'))}`,
    '/explorer/assets/..%2Findex.html',
    '/explorer/assets/%2e%2e',
    '/explorer/assets/.',
    '/explorer/assets/does-not-exist-ABCDEFGH.js',
  ])('refuses %s', async (rawPath) => {
    const response = await rawGet(baseUrl, rawPath);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body).not.toContain('charity-ledger');
    expect(response.body).not.toContain('<!doctype html>');
  });
});

describe('ExplorerController without a bundle', () => {
  let app: INestApplication;
  let baseUrl: string;
  let emptyDirectory: string;

  beforeAll(async () => {
    emptyDirectory = mkdtempSync(path.join(os.tmpdir(), 'explorer-unbuilt-'));
    ({ app, baseUrl } = await startApp(emptyDirectory));
  });

  afterAll(async () => {
    await app?.close();
    rmSync(emptyDirectory, { recursive: true, force: true });
  });

  it('redirects / to the explorer', async () => {
    const response = await request(baseUrl).get('/').expect(302);
    expect(response.headers.location).toBe('/explorer');
  });

  it('answers 503 with what to run', async () => {
    const response = await request(baseUrl).get('/explorer').expect(503);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toContain('npm run build');
  });
});

describe('saved operations', () => {
  const tabsOf = (role: string) => EXPLORER_TABS.filter((_, index) => SAVED_OPERATIONS[index]!.role === role);

  it('has tabs for every role, with the names of the API contract', () => {
    const names = Object.fromEntries(
      EXPLORER_ROLES.map((role) => [role, SAVED_OPERATIONS.filter((op) => op.role === role).map((op) => op.name)]),
    );
    expect(names).toEqual({
      ADMIN: ['Register a charity', 'Issue a regulator key'],
      CHARITY: [
        'Record a donation',
        'Record an in-kind donation',
        'Open a project',
        'Record a procurement',
        'Select beneficiaries',
        'Record a disbursement',
        'Publish a progress report',
      ],
      PUBLIC: [
        'Trace a gift',
        'A project’s balance',
        'The latest checkpoint',
        'Prove an entry is in the log',
        'Disclosures by month and district',
        'Progress reports',
        'A project’s disclosure schedule',
        'Live: new entries of a charity',
        'Live: new entries of every charity',
        'Live: new checkpoints',
        "Read a charity's chain",
        'Verify a chain',
        'List charities',
      ],
      REGULATOR: ["Read a charity's chain", 'Verify a chain', 'List charities', 'Exact disclosures by charity and quarter', 'Overdue disclosures', "Check a charity's compliance"],
    });
    expect(EXPLORER_TABS).toHaveLength(SAVED_OPERATIONS.length);
  });

  it.each(EXPLORER_ROLES)('sends the %s placeholder key, or none for PUBLIC', (role) => {
    for (const tab of tabsOf(role)) {
      if (role === 'PUBLIC') {
        expect(tab.headers).toBeUndefined();
      } else {
        expect(JSON.parse(tab.headers!)).toEqual({ Authorization: `Bearer PASTE-${role}-KEY-HERE` });
        expect(ROLE_HEADERS[role]).toEqual(JSON.parse(tab.headers!));
      }
    }
  });

  it.each(SAVED_OPERATIONS.map((operation, index) => [`${operation.role}: ${operation.name}`, index] as const))(
    '%s is one named GraphQL operation with JSON variables',
    (_title, index) => {
      const tab = EXPLORER_TABS[index]!;
      const definitions = parse(tab.query).definitions;
      expect(definitions).toHaveLength(1);
      // GraphiQL titles a tab after the operation name; unnamed ones show "<untitled>".
      expect(definitions[0]!.kind).toBe(Kind.OPERATION_DEFINITION);
      expect((definitions[0] as OperationDefinitionNode).name?.value).toMatch(/^[A-Z]\w+$/);
      if (tab.variables !== undefined) expect(typeof JSON.parse(tab.variables)).toBe('object');
    },
  );
});

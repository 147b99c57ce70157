// Bundles the GraphQL explorer (GraphiQL 5 + Monaco and its web workers) into
// dist/explorer, so that the service serves every script, style, font and worker
// from its own origin: the CDN-based IDEs hang on a closed network.
//
//   node tools/build-explorer.mjs      (npm run build:explorer; last step of npm run build)
//
// Output: dist/explorer/index.html and dist/explorer/assets/* (content-hashed
// names, so the server may cache them for a year).
import { build } from 'esbuild';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const clientDir = path.join(root, 'apps/api/src/explorer/client');
const outDir = path.join(root, 'dist/explorer');
const assetsDir = path.join(outDir, 'assets');
// The HTML is served at /explorer, so asset URLs are absolute paths on the same origin.
const publicPath = '/explorer/assets';

// The workers must come from the very Monaco that GraphiQL loads: resolve them the
// way graphiql -> @graphiql/react does (neither monaco package is a direct dependency).
const fromGraphiql = createRequire(createRequire(import.meta.url).resolve('graphiql/package.json'));
const fromGraphiqlReact = createRequire(fromGraphiql.resolve('@graphiql/react/package.json'));

const started = performance.now();

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  platform: 'browser',
  target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
  // Keep the donor names and Chinese examples readable instead of \u-escaped.
  charset: 'utf8',
  // Production React, and no `process` left in browser code.
  define: { 'process.env.NODE_ENV': '"production"' },
  outdir: assetsDir,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
};

// Previous builds leave differently-hashed files behind: start from an empty folder.
await rm(outDir, { recursive: true, force: true });
await mkdir(assetsDir, { recursive: true });

// 1. Monaco's workers, as classic (IIFE) workers: they load in every browser
//    without module-worker support, and each is one self-contained file.
const workers = await build({
  ...common,
  format: 'iife',
  entryPoints: {
    'editor.worker': fromGraphiqlReact.resolve('monaco-editor/esm/vs/editor/editor.worker.js'),
    'json.worker': fromGraphiqlReact.resolve('monaco-editor/esm/vs/language/json/json.worker.js'),
    'graphql.worker': fromGraphiqlReact.resolve('monaco-graphql/esm/graphql.worker.js'),
  },
});
const workerFiles = Object.fromEntries(
  Object.entries(workers.metafile.outputs).map(([file, output]) => [
    // …/editor.worker.js -> editor, …/json.worker.js -> json, …/graphql.worker.js -> graphql
    path.basename(output.entryPoint ?? '').replace(/\.worker\.js$/, ''),
    path.basename(file),
  ]),
);
for (const label of ['editor', 'json', 'graphql']) {
  if (!workerFiles[label]) throw new Error(`build-explorer: the ${label} worker was not built`);
}

// 2. The page: React + GraphiQL; Monaco is loaded lazily by GraphiQL (dynamic
//    import), so ESM with code splitting keeps the first script small.
const page = await build({
  ...common,
  format: 'esm',
  splitting: true,
  entryPoints: { explorer: path.join(clientDir, 'explorer.jsx') },
  jsx: 'automatic',
  // Monaco's codicon icon font: a same-origin file next to the CSS.
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  publicPath,
  define: { ...common.define, __EXPLORER_WORKERS__: JSON.stringify(workerFiles) },
});

// Lazily-imported chunks count as entry points too: pick the page's own script.
const entryPoint = path.relative(root, path.join(clientDir, 'explorer.jsx')).split(path.sep).join('/');
const entry = Object.entries(page.metafile.outputs).find(
  ([file, output]) => output.entryPoint === entryPoint && file.endsWith('.js'),
);
if (!entry) throw new Error('build-explorer: esbuild produced no entry bundle');
const [entryFile, entryOutput] = entry;
const script = path.basename(entryFile);
if (!entryOutput.cssBundle) throw new Error('build-explorer: esbuild produced no stylesheet for the explorer');
const stylesheet = path.basename(entryOutput.cssBundle);

// With code splitting esbuild also writes one CSS file per lazily-loaded chunk
// (Monaco's styles), which nothing would load. The entry's stylesheet already
// holds all of them, so check that and drop the copies instead of shipping dead files.
const entryCss = new Set(Object.keys(page.metafile.outputs[entryOutput.cssBundle].inputs));
for (const [file, output] of Object.entries(page.metafile.outputs)) {
  if (!file.endsWith('.css') || file === entryOutput.cssBundle) continue;
  const missing = Object.keys(output.inputs).filter((input) => !entryCss.has(input));
  if (missing.length > 0) {
    throw new Error(`build-explorer: ${file} has styles missing from ${stylesheet}: ${missing.join(', ')}`);
  }
  await rm(path.join(root, file));
  delete page.metafile.outputs[file];
}

await writeFile(
  path.join(outDir, 'index.html'),
  `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Charity Ledger · GraphQL explorer</title>
    <link rel="stylesheet" href="${publicPath}/${stylesheet}" />
    <script type="module" src="${publicPath}/${script}"></script>
  </head>
  <body>
    <div id="explorer"></div>
    <noscript>The GraphQL explorer needs JavaScript.</noscript>
  </body>
</html>
`,
);

const files = [...Object.keys(workers.metafile.outputs), ...Object.keys(page.metafile.outputs)];
let bytes = 0;
for (const file of files) bytes += (await stat(path.join(root, file))).size;
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `build-explorer: wrote ${path.relative(root, outDir)}/index.html and ${files.length} assets ` +
    `(${(bytes / 1024 / 1024).toFixed(1)} MiB) in ${seconds}s`,
);

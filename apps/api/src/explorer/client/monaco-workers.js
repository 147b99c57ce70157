// Monaco runs its language services (GraphQL validation and completion, JSON) in
// web workers and asks globalThis.MonacoEnvironment for them. GraphiQL 5 ships no
// offline default: its `setup-workers/esm.sh` loads them from a CDN, and without
// any setup Monaco fails to start them.
//
// tools/build-explorer.mjs bundles the three workers into content-hashed files
// next to this bundle and injects their file names as __EXPLORER_WORKERS__.
// Resolving against import.meta.url finds them next to this bundle, on the
// service's own origin (workers must be same-origin anyway).
/* global __EXPLORER_WORKERS__ */
const workerFiles = __EXPLORER_WORKERS__;

globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const file = label === 'json' || label === 'graphql' ? workerFiles[label] : workerFiles.editor;
    return new Worker(new URL(`./${file}`, import.meta.url), { name: `monaco-${label}` });
  },
};

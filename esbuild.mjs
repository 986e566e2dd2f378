// Bundles the extension client, the CLI (which also holds the language server) and the index worker
// into dist/, and copies the wasm files they load at run time beside them. `--production` minifies; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const wasmFiles = [
  path.join(path.dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm'),
  path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  path.join(path.dirname(require.resolve('node-sqlite3-wasm')), 'node-sqlite3-wasm.wasm'),
];

const copyWasm = {
  name: 'copy-wasm',
  setup(build) {
    build.onEnd(() => {
      fs.mkdirSync('dist', { recursive: true });
      for (const f of wasmFiles) fs.copyFileSync(f, path.join('dist', path.basename(f)));
    });
  },
};

const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((r) => {
      for (const e of r.errors) console.error(`✘ [ERROR] ${e.text}\n    ${e.location?.file}:${e.location?.line}:${e.location?.column}:`);
      if (watch) console.log('[watch] build finished');
    });
  },
};

const importMetaShim = "const __adaImportMetaUrl = require('url').pathToFileURL(__filename).href;";

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  // pg-native is an optional native add-on of pg that we never use.
  external: ['vscode', 'pg-native'],
  logLevel: 'warning',
  plugins: [copyWasm, problemMatcher],
  // web-tree-sitter's module reads import.meta.url, which is empty in a CommonJS bundle: point it at the bundle file.
  // The version in serverInfo, --version and reports (server/src/model/packageVersion.ts).
  define: { 'import.meta.url': '__adaImportMetaUrl', ADA_PACKAGE_VERSION: JSON.stringify(JSON.parse(fs.readFileSync('package.json', 'utf8')).version) },
  banner: { js: importMetaShim },
};

// The language server lives in the CLI bundle; dist/server.js (the path the VS Code client starts,
// with its transport flags) is two lines that enter it, so the engine ships once.
const serverEntry = {
  name: 'server-entry',
  setup(build) {
    build.onEnd(() => {
      fs.mkdirSync('dist', { recursive: true });
      fs.writeFileSync('dist/server.js', "'use strict';\n// Language server entry: see server/src/serverProcess.ts (bundled in cli.js).\nrequire('./cli.js').runServerProcess(process.argv.slice(2));\n");
    });
  },
};

const builds = [
  // server/src/protocol.ts builds its message types with 'vscode-languageserver'; in the client those
  // must be vscode-languageclient's own classes (vscode-jsonrpc compares markers by identity), and the
  // server library must stay out of the client bundle (test/unit/client/bundle.test.ts).
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, alias: { 'vscode-languageserver': 'vscode-languageclient/node' } },
  { ...common, entryPoints: { cli: 'server/src/cli/main.ts' }, banner: { js: `#!/usr/bin/env node\n${importMetaShim}` }, plugins: [...common.plugins, serverEntry] },
  // The indexer parses in worker threads; its worker is a separate bundle beside cli.js.
  { ...common, entryPoints: { indexWorker: 'server/src/indexer/worker.ts' } },
];

if (watch) {
  for (const b of builds) await (await esbuild.context({ ...b, outdir: 'dist' })).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...b, outdir: 'dist' })));
  fs.chmodSync('dist/cli.js', 0o755);
}

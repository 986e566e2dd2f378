// Bundles the extension client (CommonJS), the CLI and language server (ES modules split into chunks,
// entered through dist/cli.js and dist/server.js) and the index worker into dist/, and copies the wasm
// files they load at run time beside them. `--production` minifies the client and the worker too (the
// CLI/server modules are always minified, with .map files beside them); `--watch` rebuilds on change.
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

// The CLI and the language server are one set of ES modules (dist/cli.mjs, dist/server.mjs and the
// chunks they share, dist/chunk-*.mjs): with code splitting each command loads only what it needs
// (`--help` none of the engine, `plan` on PostgreSQL neither the parser's runtime nor the other drivers).
// dist/cli.js (the package's bin) and dist/server.js (the path the VS Code client starts, with its
// transport flags) are small CommonJS entries that import them.
const esmBanner = [
  "import { createRequire as __adaCreateRequire } from 'node:module';",
  "import { fileURLToPath as __adaFileURLToPath } from 'node:url';",
  "import { dirname as __adaDirname } from 'node:path';",
  // Bundled CommonJS dependencies require Node's built-ins; our own code reads __dirname to find the wasm files and the worker.
  'const require = __adaCreateRequire(import.meta.url);',
  'const __filename = __adaFileURLToPath(import.meta.url);',
  'const __dirname = __adaDirname(__filename);',
].join('\n');

const entryShim = (target, what) =>
  [
    "'use strict';",
    `// ${what}: see esbuild.mjs. The code is in ${target} and the chunks it imports.`,
    // Node >= 22.1 keeps compiled code between runs; Node 20 has no such cache and skips this.
    "const nodeModule = require('node:module');",
    'if (typeof nodeModule.enableCompileCache === \'function\') nodeModule.enableCompileCache();',
    // Stack traces name the TypeScript sources when asked (reading the maps costs time on every start otherwise).
    'if (process.env.AIRFLOW_ACCESS_DEBUG) process.setSourceMapsEnabled(true);',
    `import('./${target}').catch((e) => {`,
    "  process.stderr.write(`airflow-access: cannot start: ${e && e.stack ? e.stack : e}\\n`);",
    '  process.exitCode = 3;',
    '});',
    '',
  ].join('\n');

const entryShims = {
  name: 'entry-shims',
  setup(build) {
    build.onEnd(() => {
      fs.mkdirSync('dist', { recursive: true });
      fs.writeFileSync('dist/cli.js', `#!/usr/bin/env node\n${entryShim('cli.mjs', 'The airflow-access command')}`);
      fs.chmodSync('dist/cli.js', 0o755);
      fs.writeFileSync('dist/server.js', entryShim('server.mjs', 'The language server (also "airflow-access lsp")'));
    });
  },
};

const esm = {
  ...common,
  format: 'esm',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  // Minified in every build (compiling the code is most of the start-up time), with source maps in
  // .map files beside it (not shipped in the package); AIRFLOW_ACCESS_DEBUG=1 makes stack traces use them.
  // `--no-minify` keeps the names (for a readable --cpu-prof).
  minify: !process.argv.includes('--no-minify'),
  sourcemap: 'linked',
  define: { ADA_PACKAGE_VERSION: common.define.ADA_PACKAGE_VERSION },
  banner: { js: esmBanner },
  metafile: true,
  plugins: [...common.plugins, entryShims],
};

const builds = [
  // server/src/protocol.ts builds its message types with 'vscode-languageserver'; in the client those
  // must be vscode-languageclient's own classes (vscode-jsonrpc compares markers by identity), and the
  // server library must stay out of the client bundle (test/unit/client/bundle.test.ts).
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, alias: { 'vscode-languageserver': 'vscode-languageclient/node' } },
  { ...esm, entryPoints: { cli: 'server/src/cli/bin.ts', server: 'server/src/serverMain.ts' } },
  // The indexer parses in worker threads; its worker is a separate bundle beside cli.js.
  { ...common, entryPoints: { indexWorker: 'server/src/indexer/worker.ts' } },
];

// Chunks of an earlier build would otherwise pile up in dist/ (and in the package).
for (const f of fs.existsSync('dist') ? fs.readdirSync('dist') : []) if (/^chunk-.*\.mjs(\.map)?$/.test(f)) fs.rmSync(path.join('dist', f));

if (watch) {
  for (const b of builds) await (await esbuild.context({ ...b, outdir: 'dist' })).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...b, outdir: 'dist' })));
  // `--metafile=FILE`: what each CLI/server module and chunk holds (to check what a command loads).
  const meta = process.argv.find((a) => a.startsWith('--metafile='));
  if (meta) fs.writeFileSync(meta.slice('--metafile='.length), JSON.stringify(results[1].metafile));
}

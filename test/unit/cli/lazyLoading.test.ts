/**
 * The CLI starts fast because a command imports the engine only when it runs (commands/*.ts import
 * lazyEngine.ts inside their run function) and a database driver only when its dialect is opened
 * (db/connect.ts): the bundle splits at exactly those imports. Here the compiled sources run in a fresh
 * process and report which modules they loaded.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const main = path.join(__dirname, '..', '..', '..', 'server', 'src', 'cli', 'main.js');

/** Run `airflow-access <argv>` in a fresh node and return the exit code and the node_modules packages and own modules it loaded. */
function loadedBy(argv: string[]): { code: number; packages: string[]; modules: string[] } {
  const script = `
    const { runCli } = require(${JSON.stringify(main)});
    const sink = { write: () => true };
    runCli(${JSON.stringify(argv)}, { stdout: sink, stderr: sink, env: {}, cwd: process.cwd() }).then((code) => {
      const files = Object.keys(require.cache);
      process.stdout.write(JSON.stringify({ code, files }));
    });`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { code: number; files: string[] };
  const packages = [...new Set(out.files.map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter((p): p is string => !!p))].sort();
  const modules = out.files.filter((f) => !f.includes('node_modules')).map((f) => path.relative(path.join(__dirname, '..', '..', '..', 'server', 'src'), f).split(path.sep).join('/'));
  return { code: out.code, packages, modules };
}

describe('CLI lazy loading', () => {
  it('--help, a command\'s --help and a mistyped command load no library and none of the engine', () => {
    for (const argv of [['--help'], ['plan', '--help'], ['plna']]) {
      const r = loadedBy(argv);
      assert.equal(r.code, argv[0] === 'plna' ? 2 : 0, argv.join(' '));
      assert.deepEqual(r.packages, [], `${argv.join(' ')} loaded ${r.packages.join(', ')}`);
      const engine = r.modules.filter((m) => /^(indexer|project|engine|lsp|parsing|config\/(?!didYouMean)|sync\/(?!(snapshot|types)\.js)|db\/(postgres|mysql|sqlite|state))/.test(m));
      assert.deepEqual(engine, [], `${argv.join(' ')} loaded ${engine.join(', ')}`);
    }
  });

  it('a usage error found before the work starts (plan without --db) loads none of the engine either', () => {
    const r = loadedBy(['plan']);
    assert.equal(r.code, 2);
    assert.deepEqual(r.packages, []);
  });
});

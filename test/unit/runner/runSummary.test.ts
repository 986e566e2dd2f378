/** test/run.mjs: the summary line counts a skipped suite as skipped, with its reason, and names missing layers. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from '../../helpers/paths';

const SUITE = `
const { describe, test } = require('node:test');
describe('needs a real editor', { skip: 'code-server is not installed' }, () => { test('never runs', () => {}); });
test('plain skip', { skip: 'no python3' }, () => {});
test('passes', () => {});
test('has a skipped subtest', async (t) => { await t.test('postgres', { skip: 'needs PostgreSQL' }, () => {}); });
`;

function run(files: Record<string, string>, layers: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-runner-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    // Without NODE_TEST_CONTEXT: set by the node --test running this file, it would make the inner runner report to it.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'test', 'run.mjs'), ...layers], { cwd: dir, encoding: 'utf8', env });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a suite that does not run is counted as skipped with its reason; a missing layer folder is reported', () => {
  const r = run({ 'out/test/unit/a.test.js': SUITE, 'test/db/.keep': '' }, ['unit', 'db']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const summary = lines.findIndex((l) => /^\d+ passed, \d+ failed, \d+ skipped/.test(l));
  assert.equal(lines[summary], '2 passed, 0 failed, 3 skipped (1 of them whole suites), 1 layer(s) missing');
  assert.deepEqual(lines.slice(summary + 1, summary + 5), [
    '  skipped suite "needs a real editor" (out/test/unit/a.test.js): code-server is not installed',
    '  skipped test "plain skip" (out/test/unit/a.test.js): no python3',
    '  skipped test "postgres" (out/test/unit/a.test.js): needs PostgreSQL',
    `  layer "db": ${path.join('out', 'test', 'db')} is missing (not compiled (run "npm run compile-tests")); its tests did not run`,
  ]);
  assert.match(r.stderr, /layer "db": .* is missing/);
});

test('a failing test and a failing hook are counted as failures and the exit code is not 0', () => {
  const failing = `
const { describe, test, before } = require('node:test');
describe('hook', () => { before(() => { throw new Error('setup broke'); }); test('inner', () => {}); });
test('bad', () => { throw new Error('wrong'); });
test('good', () => {});
`;
  const r = run({ 'out/test/unit/b.test.js': failing }, ['unit']);
  assert.notEqual(r.code, 0);
  assert.match(r.stdout, /^1 passed, 2 failed, 0 skipped \(0 of them whole suites\)$/m);
});

/**
 * A config with errors is refused by every command that acts on or shows access: a role dropped by a typo
 * would otherwise be silently missing from the output. explain and matrix must refuse as plan does.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { cliPath, copyExamples, errorLines, runCli, tempDir } from './cliRunner';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;

/** A copy of examples/ whose first role has `dag_permisions` (typo): that role would lose every tag grant. */
function brokenWorkspace(): string {
  const root = copyExamples();
  const file = path.join(root, 'airflow-access.yaml');
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes('    dag_permissions:'), 'the example config changed; update this test');
  fs.writeFileSync(file, text.replace('    dag_permissions:', '    dag_permisions:'));
  return root;
}

const LOCATED = /^airflow-access\.yaml:\d+:\d+: error Unknown key 'dag_permisions'/;

describe('airflow-access explain and matrix refuse a config with errors (exit 3)', { skip: built }, () => {
  const cases: [string, string[]][] = [
    ['explain', ['explain', 'finance_ledger']],
    ['explain --json', ['explain', 'analytics_reporting_dag', '--json']],
    ['explain --format md', ['explain', 'analytics_reporting_dag', '--format', 'md']],
    ['matrix', ['matrix']],
    ['matrix --format csv', ['matrix', '--format', 'csv']],
  ];
  for (const [name, args] of cases) {
    test(`${name}: the located config error on stderr, exit 3, nothing on stdout`, async () => {
      const root = brokenWorkspace();
      const r = await runCli([...args, '-q'], { cwd: root });
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
      const lines = errorLines(r.stderr);
      assert.match(lines[0], LOCATED);
      assert.match(lines.at(-1)!, new RegExp(`^airflow-access ${args[0]}: the config airflow-access\\.yaml has 1 error\\(s\\)`));
    });
  }

  test('the located lines are the ones plan prints for the same config', async () => {
    const root = brokenWorkspace();
    const located = (stderr: string) => errorLines(stderr).filter((l) => LOCATED.test(l));
    const plan = await runCli(['plan', '--db', 'sqlite:////does/not/exist.db', '-q'], { cwd: root });
    assert.equal(plan.code, 3, plan.stderr);
    const explain = await runCli(['explain', 'finance_ledger', '-q'], { cwd: root });
    const matrix = await runCli(['matrix', '-q'], { cwd: root });
    assert.equal(located(plan.stderr).length, 1, plan.stderr);
    assert.deepEqual(located(explain.stderr), located(plan.stderr));
    assert.deepEqual(located(matrix.stderr), located(plan.stderr));
  });

  test('matrix -o writes no file from a config with errors', async () => {
    const root = brokenWorkspace();
    const out = path.join(tempDir(), 'access.csv');
    const r = await runCli(['matrix', '--format', 'csv', '-o', out, '-q'], { cwd: root });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(fs.existsSync(out), false);
  });

  test('without any config file, explain and matrix still show the default roles (exit 0)', async () => {
    const root = copyExamples();
    fs.rmSync(path.join(root, 'airflow-access.yaml'));
    const explain = await runCli(['explain', 'finance_ledger', '-q'], { cwd: root });
    assert.equal(explain.code, 0, explain.stderr);
    assert.match(explain.stdout, /^ {2}Default roles \(DAG-wide, every DAG\): Admin, Op, User: /m);
    const matrix = await runCli(['matrix', '-q'], { cwd: root });
    assert.equal(matrix.code, 0, matrix.stderr);
  });
});

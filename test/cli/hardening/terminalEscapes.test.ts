/**
 * Terminal control characters in DAG ids, tags and role names (ESC sequences, CR, LF, C1, bidi
 * overrides) never reach the terminal raw from a text output of the CLI, with or without colour:
 * each is printed as a visible escape (`\x1b`, `\r`, `\n`, `\u202e`). JSON stays exact.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, test } from 'node:test';
import { cleanEnv, cliPath, runCli, sqliteUrl, tempDir } from '../cliRunner';

const built = fs.existsSync(cliPath) ? false : `needs the built CLI at ${cliPath} (npm run build)`;

// A DAG id that would erase the line above and print a fake one; a tag with CR; a role with a bidi override and a C1 control.
const EVIL_DAG = 'evil\x1b[1A\x1b[2K+ fake_line';
const EVIL_TAG = 'team_read\rFAKE';
const EVIL_ROLE = 'team\u202eevil\u0085';
const py = (s: string) => JSON.stringify(s);

/** Raw control characters other than newline, and bidi/zero-width characters; `sgr`: allow the palette's colour sequences. */
function rawControls(text: string, sgr = false): string[] {
  const rest = sgr ? text.replace(/\x1b\[[0-9;]*m/g, '') : text;
  return [...rest.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g)].map((m) => JSON.stringify(m[0]));
}

describe('control characters in names are escaped in every text output', { skip: built }, () => {
  let root: string;
  let url: string;
  before(async () => {
    root = path.join(tempDir(), 'ws');
    fs.mkdirSync(path.join(root, 'dags'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dags', 'evil.py'), `from airflow import DAG\nwith DAG(${py(EVIL_DAG)}, tags=[${py(EVIL_TAG)}, ${py(EVIL_TAG)}, "team_read"]) as d:\n    pass\n`);
    fs.writeFileSync(path.join(root, 'airflow-access.yaml'), `version: 1\nairflow:\n  version: "2.10"\nroles:\n  ${py(EVIL_ROLE)}:\n    tags: [team_read, ${py(EVIL_TAG)}]\n    dag_permissions: [can_read, can_edit]\n    cleanup: true\n`);
    const dbFile = path.join(tempDir('ada-esc-db-'), 'airflow.db');
    url = sqliteUrl(dbFile);
    const made = await runCli(['demo-db', dbFile], { cwd: root });
    assert.equal(made.code, 0, made.stderr);
  });

  const commands = (): string[][] => [
    ['check'],
    ['plan', '--db', url],
    ['drift', '--db', url],
    ['explain', EVIL_DAG],
    ['explain', EVIL_DAG, '--format', 'md'],
    ['matrix'],
  ];

  test('--no-color: no raw control character on stdout or stderr, and the names are shown escaped', async () => {
    for (const args of commands()) {
      const r = await runCli([...args, '--no-color'], { cwd: root });
      assert.ok(r.code !== null && r.code <= 1, `${args[0]}: exit ${r.code} ${r.stderr}`);
      assert.deepEqual(rawControls(r.stdout), [], `${args.join(' ')} stdout`);
      assert.deepEqual(rawControls(r.stderr), [], `${args.join(' ')} stderr`);
      assert.ok(r.stdout.includes('evil\\x1b[1A\\x1b[2K+ fake_line'), `${args.join(' ')}: the DAG id is not shown escaped:\n${r.stdout}`);
    }
    const plan = await runCli(['plan', '--db', url, '--no-color'], { cwd: root });
    assert.match(plan.stdout, /role "team\\u202eevil\\x85"/);
    const check = await runCli(['check', '--no-color'], { cwd: root });
    assert.match(check.stdout, /ADA003 Tag 'team_read\\rFAKE' is listed twice/);
  });

  test('with colour forced: only the colour sequences are raw', async () => {
    for (const args of commands()) {
      const r = await runCli(args, { cwd: root, env: cleanEnv({ FORCE_COLOR: '1' }) });
      assert.deepEqual(rawControls(r.stdout, true), [], `${args.join(' ')} stdout`);
      assert.deepEqual(rawControls(r.stderr, true), [], `${args.join(' ')} stderr`);
    }
  });

  test('JSON keeps the exact names', async () => {
    const r = await runCli(['plan', '--db', url, '--json'], { cwd: root });
    const plan = JSON.parse(r.stdout) as { addGrants: { role: string; resource: string }[] };
    assert.ok(plan.addGrants.some((g) => g.role === EVIL_ROLE && g.resource === `DAG:${EVIL_DAG}`));
  });
});

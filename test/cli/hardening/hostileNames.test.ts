/**
 * Hostile names through the real CLI (dist/cli.js) on a SQLite demo DB it creates: role names, tags
 * and DAG ids that look like SQL injection, Unicode look-alikes of built-in roles, names with
 * surrounding whitespace, and 250-character ids. Each is stored literally or rejected with a message
 * that names it; a rejected attempt leaves every table identical (full dumps before/after).
 * (test/db/errors.test.ts already proves literal storage through planSync/applyPlan on every dialect.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, test } from 'node:test';
import { openDatabase } from '../../../server/src/db/connect';
import { diffDumps, dumpAll, type Dump } from '../../helpers/dbDump';
import { cliPath, runCli, sqliteUrl, tempDir } from '../cliRunner';

const built = fs.existsSync(cliPath) ? false : `needs the built CLI at ${cliPath} (npm run build)`;
const INJECT_ROLE = "x'); DROP TABLE ab_role;--";
const INJECT_DAG = "x'); DROP TABLE dag;--";
const LOOKALIKE = 'Viewеr'; // Cyrillic "е" (U+0435)
const LONG_ROLE = 'r'.repeat(250);
const LONG_TAG = 't'.repeat(250);
const LONG_DAG = 'd'.repeat(250);

const dagsPy = [
  'from airflow import DAG',
  `with DAG(${JSON.stringify(INJECT_DAG)}, tags=["inj", "look", " spaced ", ${JSON.stringify(LONG_TAG)}]) as a:`,
  '    pass',
  `with DAG(${JSON.stringify(LONG_DAG)}, tags=["inj", "long"]) as b:`,
  '    pass',
  'with DAG(" padded_dag ", tags=["inj"]) as c:',
  '    pass',
  '',
].join('\n');

function configYaml(roles: Record<string, string[]>): string {
  const lines = ['version: 1', 'airflow:', '  version: "2.10"', 'roles:'];
  for (const [name, tags] of Object.entries(roles)) lines.push(`  ${JSON.stringify(name)}:`, `    tags: [${tags.map((t) => JSON.stringify(t)).join(', ')}]`, '    dag_permissions: [can_read]', '    cleanup: true');
  return `${lines.join('\n')}\n`;
}

async function dump(url: string): Promise<Dump> {
  const db = await openDatabase({ url, env: {} });
  try {
    return await dumpAll(db);
  } finally {
    await db.close();
  }
}

function changed(a: Dump, b: Dump): string[] {
  return [...diffDumps(a, b), ...diffDumps(b, a)].map(([t, rows]) => `${t}: ${rows.slice(0, 2).join(' | ')}`);
}

describe('hostile names through the CLI', { skip: built }, () => {
  let root: string;
  let url: string;

  before(async () => {
    root = path.join(tempDir('ada-hostile-'), 'ws');
    fs.mkdirSync(path.join(root, 'dags'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dags', 'hostile.py'), dagsPy);
    fs.writeFileSync(path.join(root, 'airflow-access.yaml'), configYaml({ seed: ['inj'] }));
    const dbFile = path.join(tempDir('ada-hostile-db-'), 'airflow.db');
    url = sqliteUrl(dbFile);
    const created = await runCli(['demo-db', dbFile], { cwd: root });
    assert.equal(created.code, 0, created.stderr);
  });

  const sync = (roles: Record<string, string[]>) => {
    fs.writeFileSync(path.join(root, 'airflow-access.yaml'), configYaml(roles));
    return runCli(['sync', '--db', url, '--tag-source', 'workspace', '--yes', '--snapshot-dir', tempDir('ada-hostile-snap-')], { cwd: root });
  };

  test('demo-db stored the hostile DAG ids literally', async () => {
    const d = await dump(url);
    const ids = (d.get('dag') ?? []).map((r) => JSON.parse(r).dag_id as string);
    for (const id of [INJECT_DAG, LONG_DAG, ' padded_dag ']) assert.ok(ids.includes(id), `dag_id ${JSON.stringify(id.slice(0, 40))} not stored literally`);
  });

  test('injection-looking, look-alike and padded names are stored literally; built-ins untouched', async () => {
    const before = await dump(url);
    const res = await sync({ [INJECT_ROLE]: ['inj'], [LOOKALIKE]: ['look'], '  padded  ': [' spaced '] });
    assert.equal(res.code, 0, res.stderr);
    const after = await dump(url);
    const roles = (after.get('ab_role') ?? []).map((r) => JSON.parse(r).name as string);
    for (const r of [INJECT_ROLE, LOOKALIKE, '  padded  ', 'Viewer', 'Admin', 'Op', 'User', 'Public']) assert.ok(roles.includes(r), `role ${JSON.stringify(r)} missing: ${roles.join(' | ')}`);
    assert.deepEqual(after.get('dag'), before.get('dag'), 'dag rows unchanged');
    assert.deepEqual(after.get('dag_tag'), before.get('dag_tag'), 'dag_tag rows unchanged');
    const viewerId = JSON.parse((before.get('ab_role') ?? []).find((r) => JSON.parse(r).name === 'Viewer')!).id;
    const adminId = JSON.parse((before.get('ab_role') ?? []).find((r) => JSON.parse(r).name === 'Admin')!).id;
    const grantsOf = (d: Dump, id: number) => (d.get('ab_permission_view_role') ?? []).filter((r) => JSON.parse(r).role_id === id);
    assert.deepEqual(grantsOf(after, viewerId), grantsOf(before, viewerId), 'the look-alike did not touch Viewer');
    assert.deepEqual(grantsOf(after, adminId), grantsOf(before, adminId), 'Admin untouched');
    // The over-long DAG id is named in a warning, and the sync writes nothing for it.
    assert.match(res.stdout + res.stderr, /too long/);
    const longRows = (d: Dump) => (d.get('ab_view_menu') ?? []).filter((r) => JSON.parse(r).name.includes(LONG_DAG));
    assert.deepEqual(longRows(after), longRows(before), 'the sync wrote a resource for the 250-character dag_id');
  });

  // Regression (found by this suite, fixed in db/demo.ts): demo-db used to insert `DAG:<dag_id>` past
  // the 250-character limit of ab_view_menu.name.
  test('demo-db creates no resource name longer than ab_view_menu.name allows (250)', async () => {
    const d = await dump(url);
    const long = (d.get('ab_view_menu') ?? []).map((r) => JSON.parse(r).name as string).filter((n) => n.length > 250);
    assert.deepEqual(long.map((n) => `${n.slice(0, 12)}… (${n.length})`), []);
  });

  const outputs = new Map<string, string>();

  test('a 250-character role name alone: the database is unchanged', async () => {
    const before = await dump(url);
    const res = await sync({ [LONG_ROLE]: ['inj'] });
    outputs.set('role', res.stdout + res.stderr);
    assert.deepEqual(changed(before, await dump(url)), [], 'the rejected attempt changed the database');
  });

  test('a 250-character tag alone: the database is unchanged', async () => {
    const before = await dump(url);
    const res = await sync({ tagged_role: [LONG_TAG] });
    outputs.set('tag', res.stdout + res.stderr);
    assert.deepEqual(changed(before, await dump(url)), [], 'the rejected attempt changed the database');
  });

  // Regression (found by this suite, fixed in cli/dbSession.ts): plan/sync used to say "Nothing to do"
  // without naming the entry the loader rejected.
  test('the rejected role name and tag are named in the sync output', () => {
    assert.match(outputs.get('role') ?? '', /64|too long|at most/, `no message about the role name:\n${outputs.get('role')}`);
    assert.match(outputs.get('tag') ?? '', /100|too long|at most/, `no message about the tag:\n${outputs.get('tag')}`);
  });

  // Regression (found by this suite, fixed in cli/dbSession.ts): with one invalid role among valid
  // ones, plan/sync used to drop it silently and apply the rest.
  test('sync refuses a config that has errors, even when other roles are valid', async () => {
    const before = await dump(url);
    const res = await sync({ [LONG_ROLE]: ['inj'], another_valid_role: ['inj'] });
    assert.notEqual(res.code, 0, 'sync applied a config with errors');
    assert.deepEqual(changed(before, await dump(url)), []);
  });
});

/**
 * The editor's Show Sync Plan and the CLI's `plan` give the same plan, text and warnings for the same
 * workspace and database (the access_control warning and tag differences included), and the plan
 * names the database it is for, so the confirmation can say where it writes.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { PlanRequest } from '../../server/src/protocol';
import { describeDbTarget } from '../../server/src/lsp/features/syncRequests';
import { cleanEnv, cliPath, runCli } from '../cli/cliRunner';
import { demoServer } from '../helpers/demoServer';

// As deployed: finance_ledger has one tag fewer than its file (a tag difference), and sets access_control.
const DEPLOYED = [
  { dagId: 'analytics_reporting_dag', tags: ['reporting', 'analytics', 'analytics_reporting_edit'] },
  { dagId: 'finance_ledger', tags: ['finance', 'finance_read'] },
  { dagId: 'marketing_analyst_dag', tags: ['marketing', 'analytics', 'marketing_analyst_edt'] },
  { dagId: 'platform_maintenance', tags: ['platform'] },
];

describe('editor and CLI plans are the same', { skip: fs.existsSync(cliPath) ? false : `needs the built CLI (${cliPath}); skipped` }, () => {
  const ws = demoServer(DEPLOYED);

  for (const tagSource of ['db', 'workspace'] as const) {
    test(`tags from the ${tagSource === 'db' ? 'database' : 'workspace'}: same text, same JSON, same warnings`, async () => {
      const editor = await ws.client.request<PlanRequest.Result>('airflowDagAccess/plan', { tagSource });
      const args = ['plan', '--root', ws.root, '--db', `sqlite:///${ws.dbFile}`, '--tag-source', tagSource, '-q', '--no-color'];
      const text = await runCli(args, { env: cleanEnv() });
      const json = await runCli([...args, '--format', 'json'], { env: cleanEnv() });
      assert.equal(text.code, 0, text.stderr);
      assert.equal(editor.text.trimEnd(), text.stdout.trimEnd());
      const cliPlan = JSON.parse(json.stdout) as { warnings: { code: string; dagId?: string }[]; tagDiffs: { dagId: string }[] };
      assert.deepEqual(editor.json, cliPlan);
      // What the CLI warns about is in the editor's plan: tag differences, and (with the workspace's tags,
      // where finance_ledger has analytics_reporting_edit) the access_control revert.
      if (tagSource === 'db') {
        assert.ok(cliPlan.tagDiffs.some((d) => d.dagId === 'finance_ledger'), JSON.stringify(cliPlan.tagDiffs));
        assert.match(editor.text, /~ finance_ledger: workspace \[analytics_reporting_edit, finance, finance_read\], deployed \[finance, finance_read\]/);
      } else {
        assert.ok(cliPlan.warnings.some((w) => w.code === 'access-control-reverts' && w.dagId === 'finance_ledger'), JSON.stringify(cliPlan.warnings));
        assert.ok(editor.text.includes('! DAG "finance_ledger" sets access_control'), editor.text);
      }
    });
  }

  test('a config with errors: the plan fails with a message that names no method, and says the config is where to fix it', async () => {
    const cfg = path.join(ws.root, 'airflow-access.yaml');
    const uri = await ws.client.open(cfg);
    const good = fs.readFileSync(cfg, 'utf8');
    await ws.client.change(uri, 2, `${good}\nroles: [unclosed\n`);
    await ws.client.pullDiagnostics(uri);
    const err = await ws.client.request('airflowDagAccess/plan', {}).then(
      () => null,
      (e: { code: number; message: string; data?: { kind: string; file?: string } }) => e,
    );
    await ws.client.change(uri, 3, good);
    assert.ok(err, 'the plan was refused');
    assert.equal(err.code, -32803, 'RequestFailed: a mistake the user can fix, not an internal error');
    assert.match(err.message, /^airflow-access\.yaml has \d+ error\(s\): fix them first/);
    assert.ok(!err.message.includes('airflowDagAccess/'), err.message);
    assert.deepEqual(err.data, { kind: 'config', file: cfg });
  });

  test('the plan names its target: dialect and database file, never the folder name', async () => {
    const editor = await ws.client.request<PlanRequest.Result>('airflowDagAccess/plan', {});
    assert.equal(editor.target, `the SQLite database ${ws.dbFile}`);
    // The drift document is titled with the same target.
    const drift = await ws.client.request<{ target: string }>('airflowDagAccess/drift', {});
    assert.equal(drift.target, editor.target);
  });
});

test('the target of a server database names dialect, database, host and user, and no password', () => {
  assert.equal(describeDbTarget({ dialect: 'postgres', label: 'PostgreSQL airflow@db.internal:5432/airflow' }), 'the PostgreSQL database airflow on db.internal:5432 (user airflow)');
  assert.equal(describeDbTarget({ dialect: 'mysql', label: 'MySQL ws.root@127.0.0.1:3306/test' }), 'the MySQL database test on 127.0.0.1:3306 (user ws.root)');
});

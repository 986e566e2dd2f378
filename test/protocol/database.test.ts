/**
 * The database requests and DB-backed diagnostics through the bundled server, against a SQLite demo
 * database (always) and a temp copy of a real Airflow 2.10 metadata DB from ../shared (when present).
 * The URL reaches the server as settings (workspace/configuration, or initializationOptions for a
 * client without it); the password through the setDatabasePassword notification.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { CancellationTokenSource, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { openDatabase } from '../../server/src/db/connect';
import { createDemoDatabase } from '../../server/src/sync/demo';
import type { Db } from '../../server/src/db/types';
import type { ApplyRequest, DriftRequest, ExplainRequest, ListDagsRequest, MatrixExportRequest, MatrixRequest, PlanRequest, StatusNotification, TestConnectionRequest, TreeChildrenRequest, TreeRequest } from '../../server/src/protocol';
import { cellKind } from '../../server/src/engine/matrix';
import { dumpAll } from '../helpers/dbDump';
import { copyExamples, fileUri, LspClient } from '../helpers/lspClient';
import { metadataFixturesDir, needsShared } from '../helpers/paths';

const SECRET = 'pw-never-in-logs-4711';

const EXAMPLE_DAGS = [
  { dagId: 'analytics_reporting_dag', tags: ['reporting', 'analytics', 'analytics_reporting_edit'] },
  { dagId: 'finance_ledger', tags: ['finance', 'finance_read', 'analytics_reporting_edit'] },
  { dagId: 'marketing_analyst_dag', tags: ['marketing', 'analytics', 'marketing_analyst_edt'] },
  { dagId: 'platform_maintenance', tags: ['platform'] },
];

/** Roles holding `action` on `resource`, read straight from the FAB tables. */
async function holders(db: Db, action: string, resource: string): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT r.name AS name FROM ab_permission_view_role pvr
       JOIN ab_role r ON r.id = pvr.role_id
       JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id
       JOIN ab_permission p ON p.id = pv.permission_id
       JOIN ab_view_menu v ON v.id = pv.view_menu_id
     WHERE p.name = ? AND v.name = ?`,
    [action, resource],
  );
  return rows.map((r) => r.name).sort();
}

const codes = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);

describe('database requests and diagnostics, SQLite demo DB (settings via workspace/configuration)', () => {
  let root: string;
  let dbFile: string;
  let client: LspClient;
  let db: Db;
  const cfgUri = () => fileUri(path.join(root, 'airflow-access.yaml'));

  before(async () => {
    root = copyExamples();
    dbFile = path.join(root, '.airflow', 'airflow.db');
    await createDemoDatabase(dbFile, { dags: EXAMPLE_DAGS });
    db = await openDatabase({ url: `sqlite:///${dbFile}`, env: {} });
    // A role only the database knows (created in the Airflow UI, say).
    await db.run("INSERT INTO ab_role (name) VALUES ('ops_oncall')");
    client = await LspClient.start({ folders: [root], settings: { database: { url: `sqlite:///${dbFile}` } } });
    await client.connection.sendNotification('airflowDagAccess/setDatabasePassword', { folderUri: fileUri(root), password: SECRET });
    await client.waitForNotification<StatusNotification.Params>('airflowDagAccess/status', (p) => p.folders.some((f) => f.db.state === 'connected'));
  });
  after(async () => {
    await client.stop();
    await db.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('testConnection reports the dialect, the live DAGs and the roles', async () => {
    const r = await client.request<TestConnectionRequest.Result>('airflowDagAccess/testConnection', {});
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /^Connected to .*airflow\.db: 4 live DAG\(s\), 6 role\(s\)\.$/);
    assert.deepEqual(r.details, { dialect: 'sqlite', airflowMajor: 2, fabTables: true, dagRunResources: true, dagCount: 4 });
  });

  test('access_control roles are checked against the database roles too (ADA004)', async () => {
    const ledger = path.join(root, 'dags', 'finance_ledger.py');
    const uri = await client.open(ledger);
    await client.change(uri, 2, fs.readFileSync(ledger, 'utf8').replace('{"finance_auditor": {"can_read"}}', '{"ops_oncall": {"can_read"}, "nobody_here": {"can_read"}}'));
    const unknown = codes(await client.pullDiagnostics(uri), 'ADA004');
    assert.equal(unknown.length, 1, JSON.stringify(unknown));
    // With a database, "exists" means "in ab_role" (ops_oncall is there, nobody_here is not).
    assert.match(unknown[0].message, /^Role 'nobody_here' is not in the database's ab_role: Airflow's sync of this DAG's access_control revokes the other roles' per-DAG grants, then fails the DAG's import/);
    assert.equal(unknown[0].severity, 1, 'an error: the DAG fails to import');
    await client.change(uri, 3, fs.readFileSync(ledger, 'utf8'));
  });

  test('config diagnostics: roles missing in the database (ADA023) and drift (ADA024)', async () => {
    const ds = await client.pullDiagnostics(cfgUri());
    assert.deepEqual(codes(ds, 'ADA023').map((d) => d.message), [
      "Role 'analytics_reporting' does not exist in the metadata database yet; the sync creates it (from Viewer) when applied.",
      "Role 'marketing_analyst' does not exist in the metadata database yet; the sync creates it (from Viewer) when applied.",
      "Role 'finance_auditor' does not exist in the metadata database yet; the sync creates it (from Viewer) when applied.",
    ]);
    const drift = codes(ds, 'ADA024').find((d) => /'analytics_reporting'/.test(d.message));
    assert.match(drift!.message, /grant\(s\) the config explains are not applied/);
  });

  test('plan lists the grants to add per example role, with summary counts', async () => {
    const plan = await client.request<PlanRequest.Result>('airflowDagAccess/plan', {});
    assert.equal(plan.empty, false);
    assert.equal(plan.folderUri, fileUri(root));
    assert.match(plan.text, /^ {2}\+ role "analytics_reporting" \(copy of Viewer: \d+ permissions, without its DAG-wide can_read on "DAGs"\)$/m);
    assert.match(plan.text, /^ {2}\+ role "finance_auditor"/m);
    assert.match(plan.text, /role "analytics_reporting"\n(?: {4}\+ .*\n)*? {4}\+ can_edit +DAG:finance_ledger {2}\(tag "?analytics_reporting_edit"?/);
    assert.match(plan.text, /role "finance_auditor"\n {4}\+ can_read +DAG:finance_ledger/);
    assert.doesNotMatch(plan.text, /DAG:marketing_analyst_dag/, 'the mistyped tag grants nothing');
    assert.equal(plan.summary.createRoles, 3);
    assert.equal(plan.summary.revoke, 0);
    assert.ok(plan.summary.add >= 7, JSON.stringify(plan.summary));
    // The count in the summary line adds up: grants listed per role plus the base-role copies.
    const copied = [...plan.text.matchAll(/\(copy of \w+: (\d+) permissions[,)]/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    const listed = plan.text.split('\n').filter((l) => /^ {4}\+ can_/.test(l)).length;
    assert.equal(plan.summary.add, listed + copied);
    assert.match(plan.text, new RegExp(`^Plan: ${plan.summary.add} to add \\(${copied} of them copied from base roles\\), 0 to revoke, 3 roles to create, \\d+ resources? to create\\.$`, 'm'));
  });

  test('cancelling apply before commit leaves the database unchanged', async () => {
    const plan = await client.request<PlanRequest.Result>('airflowDagAccess/plan', {});
    const before = await dumpAll(db);
    // Hold the write lock so the apply waits inside its transaction, then cancel it there.
    const blocker = await openDatabase({ url: `sqlite:///${dbFile}`, env: {} });
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holding = blocker.transaction(async () => {
      locked();
      await new Promise<void>((r) => (release = r));
      throw new Error('release the lock without writing');
    }).catch(() => undefined);
    await isLocked;
    const cts = new CancellationTokenSource();
    const pending = client.request<ApplyRequest.Result>('airflowDagAccess/apply', { planId: plan.planId }, cts);
    const answered = assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
    cts.cancel();
    // A round trip after the cancel: the server has read it before the lock goes away.
    await client.request<ListDagsRequest.Result>('airflowDagAccess/listDags', {});
    release();
    await holding;
    await blocker.close();
    await answered;
    assert.deepEqual(await dumpAll(db), before);
    // The cancelled apply rolled back and let go of the database: another writer gets the write lock at once.
    const writer = await openDatabase({ url: `sqlite:///${dbFile}`, env: {} });
    try {
      const probe = writer.transaction(async (tx) => {
        await tx.run("INSERT INTO ab_role (name) VALUES ('lock_probe')");
        throw new Error('probe done, roll back');
      }, { lockTimeoutMs: 2000 });
      await assert.rejects(probe, /probe done, roll back/);
    } finally {
      await writer.close();
    }
    const again = await client.request<PlanRequest.Result>('airflowDagAccess/plan', {});
    assert.equal(again.planId, plan.planId, 'the same changes are still to do');
  });

  test('apply writes the grants; the next plan is empty, drift is gone and so are ADA023/ADA024', async () => {
    const plan = await client.request<PlanRequest.Result>('airflowDagAccess/plan', {});
    const driftBefore = await client.request<DriftRequest.Result>('airflowDagAccess/drift', {});
    assert.ok(driftBefore.count > 0);
    const refreshes = client.refreshCount;
    const r = await client.request<ApplyRequest.Result>('airflowDagAccess/apply', { planId: plan.planId });
    assert.equal(r.applied, true, r.message);
    assert.equal(r.summary.createdRoles, 3);
    assert.ok(r.snapshotFile && fs.existsSync(r.snapshotFile), 'a snapshot of the changed rows is written first');
    assert.deepEqual(await holders(db, 'can_edit', 'DAG:finance_ledger'), ['analytics_reporting']);
    assert.deepEqual(await holders(db, 'can_read', 'DAG:finance_ledger'), ['analytics_reporting', 'finance_auditor']);
    assert.deepEqual(await holders(db, 'can_delete', 'DAG:analytics_reporting_dag'), ['analytics_reporting']);

    const next = await client.request<PlanRequest.Result>('airflowDagAccess/plan', {});
    assert.equal(next.empty, true);
    assert.match(next.text, /No changes\. The database matches the config\./);
    const drift = await client.request<DriftRequest.Result>('airflowDagAccess/drift', {});
    assert.equal(drift.count, 0);
    await client.waitFor(() => client.refreshCount > refreshes, 'a diagnostics refresh after apply');
    const ds = await client.pullDiagnostics(cfgUri());
    assert.deepEqual([...codes(ds, 'ADA023'), ...codes(ds, 'ADA024')], []);
  });

  test('explain, listDags, matrix and tree reflect the database grants', async () => {
    const ex = await client.request<ExplainRequest.Result>('airflowDagAccess/explain', { dagId: 'finance_ledger' });
    assert.equal(ex.dagId, 'finance_ledger');
    // One line per role and its reasons as a list (the hover's text: same function).
    // The role's role-wide run permissions read from the database (menu_access included, as Viewer's) count on a DAG it can read.
    assert.match(ex.markdown, /^\*\*finance_auditor\*\* — read · runs: read, menu_access\n(- .*\n)*- via access_control \(\[dags\/finance_ledger\.py:13\]\[\d+\]\) — read\n- from the database \(`DAG:finance_ledger`\) — read\n- role-wide: from the database \(`DAG Runs`\) — runs: read, menu_access$/m);
    assert.match(ex.markdown, /^\*\*analytics_reporting\*\* — nothing \(every grant is reverted\)\n- via tag `analytics_reporting_edit` .* — \*reverted by access_control\*$/m);
    // The default roles on one line, not one each.
    assert.match(ex.markdown, /^Default roles \(DAG-wide, every DAG\): Admin, Op, User: read, edit, delete .*· Viewer: read .*$/m);
    assert.doesNotMatch(ex.markdown, /^\*\*(Admin|Op|User|Viewer)\*\*/m);
    assert.doesNotMatch(ex.markdown, /<\/?[a-z][^>]*>/i, 'no HTML tags');
    const missing = await client.request<ExplainRequest.Result>('airflowDagAccess/explain', { dagId: 'nope' });
    assert.equal(missing.json, null);
    assert.match(missing.markdown, /No DAG 'nope' in this workspace\./);

    const list = await client.request<ListDagsRequest.Result>('airflowDagAccess/listDags', {});
    assert.deepEqual(list.dags.map((d) => d.dagId).sort(), EXAMPLE_DAGS.map((d) => d.dagId).sort());

    const m = await client.request<MatrixRequest.Result>('airflowDagAccess/matrix', {});
    const code = (dag: string, role: string) => m.codes[m.dags.findIndex((d) => d.dagId === dag) * m.roles.length + m.roles.indexOf(role)];
    const held = (dag: string, role: string) => (['read', 'edit', 'delete'] as const).map((k) => `${k}:${cellKind(code(dag, role), k).state}`);
    assert.deepEqual(held('analytics_reporting_dag', 'analytics_reporting'), ['read:dag', 'edit:dag', 'delete:dag']);
    assert.deepEqual(held('platform_maintenance', 'Viewer'), ['read:wide', 'edit:none', 'delete:none']);
    const csv = await client.request<MatrixExportRequest.Result>('airflowDagAccess/matrixExport', { format: 'csv' });
    assert.match(csv.text.split('\n')[0], /^dag_id,file,Admin,/);
    assert.equal(csv.text.trimEnd().split('\n').length, m.dags.length + 1);

    const tree = await client.request<TreeRequest.Result>('airflowDagAccess/tree', {});
    const top = tree.roles.find((r) => r.role === 'analytics_reporting')!;
    assert.equal(top.location!.uri, cfgUri());
    assert.deepEqual([top.dags, top.reverted, top.dagWide], [1, 1, ['runs: read', 'runs: menu_access']]);
    // Its children (with why) come when the node is expanded.
    const role = (await client.request<TreeChildrenRequest.Result>('airflowDagAccess/treeChildren', { node: { kind: 'role', name: 'analytics_reporting' } })).role!;
    const actions = (dagId: string) => role.dags.find((d) => d.dagId === dagId)?.actions ?? [];
    assert.deepEqual(actions('analytics_reporting_dag'), ['read', 'edit', 'delete'], 'by its tag');
    // Why: the tag, and a click opens the config line that maps it to the role.
    const [why] = role.dags[0].reasons;
    assert.deepEqual([why.kind, why.label, why.dagWide, why.reverted], ['tag', 'via tag analytics_reporting_edit', false, false]);
    assert.equal(why.location!.uri, cfgUri());
    assert.match(why.tooltip ?? "", /Tag `analytics_reporting_edit` on the DAG \(\[dags\/analytics_reporting\.py:\d+\]\(file:\/\/.*#L\d+\)\) is mapped to role `analytics_reporting` in \[airflow-access\.yaml:\d+\]/);
    // Created as a copy of Viewer (base_role) without Viewer's DAG-wide read: only its own DAG, and
    // the base role's run permissions are one role-wide line, not a child per DAG.
    // finance_ledger is listed because of its reverted grants (its access_control does not name the role).
    assert.deepEqual(role.dags.map((d) => [d.dagId, d.actions.join(', '), d.reasons.map((r) => r.label).join(', ')]), [
      ['analytics_reporting_dag', 'read, edit, delete', 'via tag analytics_reporting_edit, from the database'],
      ['finance_ledger', '', 'via tag analytics_reporting_edit (reverted by access_control), from the database (reverted by access_control)'],
    ]);
    // Its run permissions on 'DAG Runs' (from the DB after the sync): one role-wide line, not a child per DAG.
    assert.deepEqual(role.dagWide?.reasons.map((r) => [r.kind, r.label, r.actions.join(', ')]), [['db', 'role-wide: from the database', 'runs: read, runs: menu_access']]);
    assert.match(role.dagWide!.reasons[0].tooltip ?? "", /^The metadata database grants `analytics_reporting` read, menu_access on the runs of every DAG the role may read/);
    // Per DAG, the default roles are one line, not one child each.
    assert.deepEqual(tree.dags.find((d) => d.dagId === 'platform_maintenance'), { dagId: 'platform_maintenance', location: tree.dags.find((d) => d.dagId === 'platform_maintenance')!.location, roles: 0, defaultRoles: true });
    const platform = (await client.request<TreeChildrenRequest.Result>('airflowDagAccess/treeChildren', { node: { kind: 'dag', name: 'platform_maintenance' } })).dag!;
    assert.deepEqual(platform.roles, []);
    assert.match(platform.defaultRoles ?? '', /^Admin, Op, User: read, edit, delete .*· Viewer: read/);
    const md = (await client.request<MatrixExportRequest.Result>('airflowDagAccess/matrixExport', { format: 'md' })).text;
    assert.match(md, /^Default roles \(DAG-wide, the same on every DAG\): Admin, Op, User: read, edit, delete/);
    assert.doesNotMatch(md.split('\n').find((l) => l.startsWith('| DAG |'))!, /Viewer/);
  });

  test('the password is never logged', () => {
    assert.ok(!client.logs.some((l) => l.includes(SECRET)));
    assert.ok(!client.stderr.includes(SECRET));
  });
});

describe('database requests, real Airflow 2.10 metadata DB copy (settings via initializationOptions)', { skip: needsShared }, () => {
  let root: string;
  let dbFile: string;
  let client: LspClient;

  before(async () => {
    root = copyExamples();
    dbFile = path.join(root, '.airflow', 'airflow.db');
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    fs.copyFileSync(path.join(metadataFixturesDir, 'airflow-2.10.x.sqlite'), dbFile);
    const settings = { database: { url: `sqlite:///${dbFile}` } };
    client = await LspClient.start({ folders: [root], configuration: false, initializationOptions: { settings } });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('testConnection, plan, apply, an empty second plan, no drift', async () => {
    const c = await client.request<TestConnectionRequest.Result>('airflowDagAccess/testConnection', {});
    assert.equal(c.ok, true, c.message);
    assert.equal(c.details?.dialect, 'sqlite');
    assert.equal(c.details?.airflowMajor, 2);
    assert.equal(c.details?.dagCount, 72);

    const plan = await client.request<PlanRequest.Result>('airflowDagAccess/plan', {});
    for (const role of ['analytics_reporting', 'marketing_analyst', 'finance_auditor']) assert.match(plan.text, new RegExp(`^ {2}\\+ role "${role}"`, 'm'));
    assert.equal(plan.summary.createRoles, 3);
    assert.equal(plan.summary.revoke, 0);

    const r = await client.request<ApplyRequest.Result>('airflowDagAccess/apply', { planId: plan.planId });
    assert.equal(r.applied, true, r.message);
    const db = await openDatabase({ url: `sqlite:///${dbFile}`, env: {} });
    try {
      const roles = (await db.query<{ name: string }>('SELECT name FROM ab_role')).map((x) => x.name);
      for (const role of ['analytics_reporting', 'marketing_analyst', 'finance_auditor']) assert.ok(roles.includes(role), role);
    } finally {
      await db.close();
    }
    const next = await client.request<PlanRequest.Result>('airflowDagAccess/plan', {});
    assert.equal(next.empty, true, next.text);
    assert.equal((await client.request<DriftRequest.Result>('airflowDagAccess/drift', {})).count, 0);
  });

  test('explain, matrix and tree answer over the real database', async () => {
    const ex = await client.request<ExplainRequest.Result>('airflowDagAccess/explain', { dagId: 'analytics_reporting_dag' });
    assert.match(ex.markdown, /\*\*DAG `analytics_reporting_dag`\*\*/);
    const m = await client.request<MatrixRequest.Result>('airflowDagAccess/matrix', {});
    assert.ok(m.roles.includes('analytics_reporting'));
    const tree = await client.request<TreeRequest.Result>('airflowDagAccess/tree', {});
    assert.deepEqual(tree.dags.map((d) => d.dagId).sort(), EXAMPLE_DAGS.map((d) => d.dagId).sort());
  });
});

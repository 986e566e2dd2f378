/**
 * A config role created from Viewer reads only its tagged DAGs, on every real fixture database and
 * on the project's demo DB; a role copied from Viewer by hand (seed 000) keeps its DAG-wide read
 * until the config asks with revoke_dag_wide, and the snapshot of that revocation rolls back.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { openDatabase } from '../../server/src/db/connect';
import { createDemoDatabase } from '../../server/src/sync/demo';
import { readDbState } from '../../server/src/db/state';
import type { Db } from '../../server/src/db/types';
import { applyPlan } from '../../server/src/sync/apply';
import { planSync } from '../../server/src/sync/plan';
import { rollbackSnapshot } from '../../server/src/sync/rollback';
import { makeConfig } from '../helpers/dbConfig';
import { hasShared, metadataFixturesDir, needsShared } from '../helpers/paths';
import { createPgDb, needsPg, sqliteCopy, tempDir } from '../helpers/dbServers';

const fixtures = hasShared ? fs.readdirSync(metadataFixturesDir).sort() : [];

/** (action, resource) pairs a role holds, as "action resource" strings. */
async function grantsOf(db: Db, role: string): Promise<string[]> {
  const rows = await db.query<{ a: string; v: string }>(
    'SELECT p.name AS a, v.name AS v FROM ab_permission_view_role pvr JOIN ab_role r ON r.id = pvr.role_id JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id ' +
      'JOIN ab_permission p ON p.id = pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id WHERE r.name = ?',
    [role],
  );
  return [...new Set(rows.map((r) => `${r.a} ${r.v}`))].sort();
}

/**
 * The DAGs a role can read, the way Airflow decides it (`get_accessible_dag_ids`, airflow/www/security.py;
 * `get_authorized_dag_ids`, FAB auth manager): every DAG with can_read on "DAGs", else the DAG:<id> ones.
 */
async function readableDags(db: Db, role: string): Promise<string[]> {
  const all = (await db.query<{ id: string }>('SELECT dag_id AS id FROM dag')).map((r) => String(r.id)).sort();
  const held = await grantsOf(db, role);
  if (held.includes('can_read DAGs')) return all;
  return all.filter((id) => held.includes(`can_read DAG:${id}`));
}

const notPerDag = (g: string) => !/^\S+ DAG( Run)?:/.test(g);

async function baseRoleScenario(url: string): Promise<void> {
  const snapDir = tempDir();
  const db = await openDatabase({ url, env: {} });
  try {
    const state0 = await readDbState(db);
    const live = state0.dags.map((d) => d.dagId);
    assert.ok(live.length > 0, 'the database has a live DAG');
    const tagged = live[0];
    const allDags = (await db.query<{ id: string }>('SELECT dag_id AS id FROM dag')).map((r) => String(r.id)).sort();
    // The premise: Viewer reads every DAG here (can_read on "DAGs").
    assert.ok((await grantsOf(db, 'Viewer')).includes('can_read DAGs'));
    assert.deepEqual(await readableDags(db, 'Viewer'), allDags);

    // A role made by hand as seed 000 says: a copy of every Viewer permission.
    await db.run('INSERT INTO ab_role (name) VALUES (?)', ['by_hand']);
    await db.run(
      'INSERT INTO ab_permission_view_role (permission_view_id, role_id) SELECT pvr.permission_view_id, h.id FROM ab_permission_view_role pvr JOIN ab_role v ON v.id = pvr.role_id, ab_role h WHERE v.name = ? AND h.name = ?',
      ['Viewer', 'by_hand'],
    );
    assert.deepEqual(await readableDags(db, 'by_hand'), allDags);

    const ws = [...new Set([...live, ...state0.inactiveDagIds])].map((dagId) => ({ dagId, tags: [dagId === tagged ? 'viewer_copy_read' : 'unrelated'], file: `/ws/${dagId}.py`, hasAccessControl: false }));
    const opts = { tagSource: 'workspace' as const, workspaceDags: ws };
    const keep = makeConfig([
      { name: 'from_viewer', tags: ['viewer_copy_read'] },
      { name: 'by_hand', tags: ['viewer_copy_read'], cleanup: false },
    ]);
    const shown = planSync(await readDbState(db), keep, opts);
    assert.deepEqual(shown.createRoles.map((r) => [r.name, r.baseRole, r.dagWideLeftOut]), [['from_viewer', 'Viewer', ['can_read']]]);
    assert.ok(!shown.addGrants.some((g) => g.resource === 'DAGs' && g.action !== 'menu_access'), 'no DAG-wide grant is copied (the DAGs menu entry is)');
    assert.deepEqual(shown.revokeGrants, [], 'held DAG-wide grants are only shown');
    assert.match(shown.warnings.find((w) => w.code === 'role-dag-wide')?.message ?? '', /^Role "by_hand" can read every DAG: it holds can_read on "DAGs" in the database\. Its tag "viewer_copy_read" restricts nothing\./);

    const revoke = makeConfig([
      { name: 'from_viewer', tags: ['viewer_copy_read'] },
      { name: 'by_hand', tags: ['viewer_copy_read'], cleanup: false, revokeDagWide: true },
    ]);
    const plan = planSync(await readDbState(db), revoke, opts);
    assert.deepEqual(plan.revokeGrants.map((g) => `${g.role} ${g.action} ${g.resource}`), ['by_hand can_read DAGs']);
    const before = await grantsOf(db, 'by_hand');
    const res = await applyPlan(db, plan, { snapshotDir: snapDir, auditUser: 'test' });
    assert.equal(res.applied, true);
    assert.ok(res.snapshotFile && fs.existsSync(res.snapshotFile), 'a snapshot was written');

    // Both read exactly their tagged DAG now; they keep the rest of Viewer's permissions (menus,
    // DAG Runs, logs, Website...), which Airflow checks together with access to the DAG itself.
    assert.deepEqual(await readableDags(db, 'from_viewer'), [tagged]);
    assert.deepEqual(await readableDags(db, 'by_hand'), [tagged]);
    const viewerRest = (await grantsOf(db, 'Viewer')).filter(notPerDag).filter((g) => !/^can_(read|edit|delete) DAGs$/.test(g));
    assert.ok(viewerRest.length > 10, viewerRest.join(', '));
    assert.deepEqual((await grantsOf(db, 'from_viewer')).filter(notPerDag), viewerRest);
    assert.deepEqual((await grantsOf(db, 'by_hand')).filter(notPerDag), viewerRest);
    assert.ok((await grantsOf(db, 'Viewer')).includes('can_read DAGs'), 'Viewer itself is never changed');
    assert.equal(planSync(await readDbState(db), revoke, opts).empty, true, 'the next plan is empty');

    await rollbackSnapshot(db, res.snapshotFile!);
    assert.deepEqual(await grantsOf(db, 'by_hand'), before, 'rollback gives the revoked DAG-wide grant back');
    assert.deepEqual(await grantsOf(db, 'from_viewer'), [], 'and removes the created role\'s grants');
  } finally {
    await db.close();
    fs.rmSync(snapDir, { recursive: true, force: true });
  }
}

for (const f of hasShared ? fixtures.filter((x) => x.endsWith('.sqlite')) : ['(sqlite fixtures)']) {
  test(`SQLite fixture ${f}: a role created from Viewer reads only its tagged DAG; revoke_dag_wide fixes one copied by hand`, { skip: needsShared }, async () => {
    const copy = sqliteCopy(path.join(metadataFixturesDir, f));
    try {
      await baseRoleScenario(copy.url);
    } finally {
      await copy.drop();
    }
  });
}

for (const f of hasShared ? fixtures.filter((x) => x.endsWith('.postgres.sql')) : ['(postgres fixtures)']) {
  test(`PostgreSQL fixture ${f}: a role created from Viewer reads only its tagged DAG; revoke_dag_wide fixes one copied by hand`, { skip: needsShared || needsPg }, async () => {
    const db = await createPgDb(path.join(metadataFixturesDir, f));
    try {
      await baseRoleScenario(db.url);
    } finally {
      await db.drop();
    }
  });
}

for (const version of ['2.10', '3.0'] as const) {
  test(`demo SQLite DB (Airflow ${version}): a role created from Viewer reads only its tagged DAG`, async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'demo.db');
      await createDemoDatabase(file, { airflowVersion: version, dags: [{ dagId: 'sales_daily', tags: ['finance'] }, { dagId: 'ml_train', tags: ['ml'] }] });
      await baseRoleScenario(`sqlite:///${file}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

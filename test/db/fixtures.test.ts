/** plan → apply → empty re-plan → cleanup → rollback, on every real fixture, the demo DB and MariaDB. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { openDatabase } from '../../server/src/db/connect';
import { createDemoDatabase } from '../../server/src/sync/demo';
import { readDbState } from '../../server/src/db/state';
import { planSync } from '../../server/src/sync/plan';
import { makeConfig } from '../helpers/dbConfig';
import { hasShared, metadataFixturesDir, needsShared } from '../helpers/paths';
import { createMariaDb, createPgDb, needsMaria, needsPg, sqliteCopy, tempDir } from '../helpers/dbServers';
import { runScenario } from './scenario';

const fixtures = hasShared ? fs.readdirSync(metadataFixturesDir).sort() : [];
const sqliteFixtures = fixtures.filter((f) => f.endsWith('.sqlite'));
const pgFixtures = fixtures.filter((f) => f.endsWith('.postgres.sql'));

test('fixtures found in ../shared', { skip: needsShared }, () => {
  assert.ok(sqliteFixtures.length >= 3 && pgFixtures.length >= 2, `fixtures: ${fixtures.join(', ')}`);
});

for (const f of hasShared ? sqliteFixtures : ['(sqlite fixtures)']) {
  test(`SQLite fixture ${f}: plan, apply, idempotent, only owned rows, rollback`, { skip: needsShared }, async () => {
    const copy = sqliteCopy(path.join(metadataFixturesDir, f));
    try {
      const r = await runScenario(copy.url);
      assert.ok(r.added > 0);
    } finally {
      await copy.drop();
    }
  });
}

/** A config that says Airflow 2.10 and wants DAG Run permissions, planned against the database at `url`. */
async function planAs210(url: string) {
  const db = await openDatabase({ url, env: {} });
  try {
    const state = await readDbState(db);
    const tags = [...new Set(state.dags.flatMap((d) => d.tags))];
    const config = makeConfig([{ name: 'ada_runs', tags, dag: ['can_read'], dagRun: ['can_read', 'can_create'] }], { version: '2.10' });
    return { state, plan: planSync(state, config, { tagSource: 'db' }) };
  } finally {
    await db.close();
  }
}

const runGrants = (p: Awaited<ReturnType<typeof planAs210>>['plan']) => p.addGrants.filter((g) => g.resource.startsWith('DAG Run:')).length;

test('a config saying 2.10 does not give an older Airflow 2 database DAG Run permissions (demo DB with and without dataset_alias)', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'a.db');
    await createDemoDatabase(file, { dags: [{ dagId: 'd1', tags: ['t1'] }, { dagId: 'd2', tags: ['t1'] }] });
    const at210 = await planAs210(`sqlite:///${file}`);
    assert.equal(at210.state.schema.before210, false);
    assert.equal(runGrants(at210.plan), 4, 'can_read and can_create on both DAG Run resources');
    const db = await openDatabase({ url: `sqlite:///${file}`, env: {} });
    // As an Airflow 2.9 database: no dataset_alias table, no DAG Run resources.
    await db.run('DROP TABLE dataset_alias');
    const runViews = "SELECT id FROM ab_view_menu WHERE name LIKE 'DAG Run:%'";
    await db.run(`DELETE FROM ab_permission_view_role WHERE permission_view_id IN (SELECT id FROM ab_permission_view WHERE view_menu_id IN (${runViews}))`);
    await db.run(`DELETE FROM ab_permission_view WHERE view_menu_id IN (${runViews})`);
    await db.run(`DELETE FROM ab_view_menu WHERE id IN (${runViews})`);
    await db.close();
    const older = await planAs210(`sqlite:///${file}`);
    assert.equal(older.state.schema.before210, true);
    assert.equal(runGrants(older.plan), 0);
    assert.equal(older.plan.createResources.filter((r) => r.startsWith('DAG Run:')).length, 0, 'no DAG Run resources created');
    assert.ok(older.plan.addGrants.length > 0, 'the DAG grants are still planned');
    assert.match(older.plan.warnings.find((w) => w.code === 'dag-run-unsupported')?.message ?? '', /config says Airflow 2\.10, but the database is an older Airflow 2/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

for (const f of hasShared ? sqliteFixtures : ['(sqlite fixtures)']) {
  test(`SQLite fixture ${f}: the Airflow version is read from the schema, whatever the config says`, { skip: needsShared }, async () => {
    const copy = sqliteCopy(path.join(metadataFixturesDir, f));
    try {
      const { state, plan } = await planAs210(copy.url);
      const is210 = /^airflow-2\.10\./.test(f);
      assert.equal(state.schema.before210, !is210, f);
      if (!is210) assert.equal(runGrants(plan), 0, `${f}: no DAG Run grants on an Airflow older than 2.10`);
      else assert.ok(runGrants(plan) > 0, `${f}: DAG Run grants on 2.10`);
    } finally {
      await copy.drop();
    }
  });
}

for (const f of hasShared ? pgFixtures : ['(postgres fixtures)']) {
  test(`PostgreSQL fixture ${f}: plan, apply, idempotent, only owned rows, rollback`, { skip: needsShared || needsPg }, async () => {
    const db = await createPgDb(path.join(metadataFixturesDir, f));
    try {
      const r = await runScenario(db.url);
      assert.ok(r.added > 0);
    } finally {
      await db.drop();
    }
  });
  test(`PostgreSQL fixture ${f}: the same with every grant insert on the bulk path (keys dropped and re-added)`, { skip: needsShared || needsPg }, async () => {
    const db = await createPgDb(path.join(metadataFixturesDir, f));
    try {
      assert.ok((await runScenario(db.url, { bulkMinGrants: 1 })).added > 0);
    } finally {
      await db.drop();
    }
  });
}

const demoDags = [
  { dagId: 'sales_daily', tags: ['finance', 'daily'] },
  { dagId: 'sales_weekly', tags: ['finance'] },
  { dagId: 'ml_train', tags: ['ml'] },
  { dagId: 'old_dag', tags: ['finance'], active: false },
];

for (const version of ['2.10', '3.0'] as const) {
  test(`demo SQLite DB (Airflow ${version}, project DDL): full scenario`, async () => {
    const dir = tempDir();
    const file = path.join(dir, 'demo.db');
    try {
      await createDemoDatabase(file, { airflowVersion: version, dags: demoDags });
      const r = await runScenario(`sqlite:///${file}`);
      assert.ok(r.added > 0 && r.revoked > 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`MariaDB (Airflow ${version} schema from project DDL): full scenario`, { skip: needsMaria }, async () => {
    const db = await createMariaDb(version, demoDags);
    try {
      const r = await runScenario(db.url);
      assert.ok(r.added > 0 && r.revoked > 0);
    } finally {
      await db.drop();
    }
  });
}

/**
 * The Airflow release read from alembic_version, on every real fixture database and the demo database:
 * the release each one names, the default roles Airflow created in it against the engine's model of
 * that release, and what a project does with the version (used when the config gives none, ADA030
 * when they differ, the access_control rules of that release).
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { releaseOfRevision } from '../../server/src/db/alembicVersions';
import { openDatabase } from '../../server/src/db/connect';
import { createDemoDatabase } from '../../server/src/sync/demo';
import { detectSchema } from '../../server/src/db/schema';
import { defaultRolePermissions, type DefaultRoleName } from '../../server/src/engine/defaultRoles';
import { Project } from '../../server/src/project/project';
import { runConfigRules, runRules } from '../../server/src/rules';
import { parseSettings } from '../../server/src/settings';
import { createPgDb, needsPg, sqliteCopy, tempDir, type TempDb } from '../helpers/dbServers';
import { metadataFixturesDir, needsShared } from '../helpers/paths';

const FIXTURES: { file: string; revision: string; version: string; label: string }[] = [
  { file: 'airflow-2.3.x.sqlite', revision: 'f5fcbda3e651', version: '2.3.3', label: '2.3.3 up to 2.4.0 (exclusive)' },
  { file: 'airflow-2.6.x.postgres.sql', revision: '98ae134e6fff', version: '2.6.0', label: '2.6.0 up to 2.6.2 (exclusive)' },
  { file: 'airflow-2.7.x.sqlite', revision: '405de8318b3a', version: '2.7', label: '2.7.0 up to 2.8.0 (exclusive)' },
  { file: 'airflow-2.10.x.sqlite', revision: '5f2621c13b39', version: '2.10.3', label: '2.10.3 up to 3.0.0 (exclusive)' },
  { file: 'airflow-3.0.x-fab.postgres.sql', revision: 'fe199e1abd77', version: '3.0.3', label: '3.0.3 up to 3.1.0 (exclusive)' },
];

async function fixtureDb(file: string): Promise<TempDb> {
  const full = path.join(metadataFixturesDir, file);
  return file.endsWith('.sqlite') ? sqliteCopy(full) : createPgDb(full);
}

const key = (a: string, r: string) => `${a} ${r}`;

describe('alembic_version -> Airflow release, and the default roles Airflow created at that release', () => {
  for (const f of FIXTURES) {
    const skip = needsShared || (f.file.endsWith('.sql') && needsPg);
    test(f.file, { skip }, async () => {
      const t = await fixtureDb(f.file);
      const db = await openDatabase({ url: t.url, env: {} });
      try {
        const schema = await detectSchema(db);
        assert.equal(schema.alembicVersion, f.revision);
        const release = releaseOfRevision(schema.alembicVersion)!;
        assert.deepEqual([release.version, release.label], [f.version, f.label]);
        const rows = await db.query<{ role: string; action: string; resource: string }>(
          `SELECT r.name AS role, p.name AS action, v.name AS resource FROM ab_permission_view_role pvr
             JOIN ab_role r ON r.id = pvr.role_id JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id
             JOIN ab_permission p ON p.id = pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id`);
        for (const role of ['Viewer', 'User', 'Op'] as DefaultRoleName[]) {
          const inDb = new Set(rows.filter((x) => x.role === role && !/^DAG( Run)?:/.test(x.resource)).map((x) => key(x.action, x.resource)));
          const modelled = new Set(defaultRolePermissions(role, release.version).map(([a, r]) => key(a, r)));
          assert.deepEqual([...modelled].sort(), [...inDb].sort(), `${role} at ${release.version}`);
        }
      } finally {
        await db.close();
        await t.drop();
      }
    });
  }

  test('the demo database names the release of its schema', async () => {
    const dir = tempDir();
    try {
      for (const [version, want] of [['2.10', '2.10.3'], ['3.0', '3.0.3']] as const) {
        const file = path.join(dir, `${version}.db`);
        await createDemoDatabase(file, { airflowVersion: version, dags: [] });
        const db = await openDatabase({ url: `sqlite:///${file}`, env: {} });
        try {
          assert.equal(releaseOfRevision((await detectSchema(db)).alembicVersion)?.version, want);
        } finally {
          await db.close();
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const DAGS = `from airflow import DAG
with DAG("wiped", tags=["sales_read"], access_control={}) as d1:
    pass
with DAG("plain", tags=["sales_read"]) as d2:
    pass
with DAG("listed", access_control={"sales": {"can_read"}}) as d3:
    pass
`;
const config = (version: string | null) =>
  `version: 1\n${version ? `airflow:\n  version: "${version}"\n` : ''}roles:\n  sales:\n    tags: [sales_read]\n    dag_permissions: [can_read]\n    base_role: Public\n`;

async function projectOn(url: string, version: string | null) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-versions-'));
  fs.mkdirSync(path.join(root, 'dags'));
  fs.writeFileSync(path.join(root, 'dags', 'd.py'), DAGS);
  fs.writeFileSync(path.join(root, 'airflow-access.yaml'), config(version));
  const project = await Project.open(root, parseSettings({ safeMode: false, database: { url } }).settings, { connectDb: true });
  assert.equal(project.db.status, 'connected', project.db.message);
  const file = path.join(root, 'dags', 'd.py');
  const access = (id: string) => {
    const dag = project.getFile(file)!.dags.find((d) => d.dagId.kind === 'static' && d.dagId.value === id)!;
    return project.dagAccess(file, dag)!;
  };
  const salesPerDag = (id: string) => access(id).roles.find((r) => r.role === 'sales')?.grants.filter((g) => g.scope === 'dag' && !g.reverted).map((g) => g.action) ?? [];
  return { project, file, access, salesPerDag, done: async () => (await project.dispose(), fs.rmSync(root, { recursive: true, force: true })) };
}

describe('a project uses the database release when the config gives none', () => {
  test('2.3 fixture: access_control={} is skipped before 2.6.2, so the tag grant stays; sales is not in ab_role', { skip: needsShared }, async () => {
    const t = sqliteCopy(path.join(metadataFixturesDir, 'airflow-2.3.x.sqlite'));
    const p = await projectOn(t.url, null);
    try {
      assert.equal(p.project.airflowVersion(), '2.3.3');
      assert.deepEqual(p.salesPerDag('wiped'), ['can_read']);
      // 'sales' exists in the config but not in this database: Airflow would fail the import.
      const listed = p.access('listed');
      assert.deepEqual(listed.conflicts.map((c) => c.kind), ['unknown_role']);
      assert.equal(listed.summary.canRead, 4, 'only the default roles (Admin, Op, User, Viewer) read it, not sales');
      assert.equal(listed.roles.some((r) => r.role === 'sales'), false);
      const ada004 = runRules(p.project, p.file).filter((f) => f.code === 'ADA004');
      assert.equal(ada004.length, 1);
      assert.equal(ada004[0].severity, 'error');
      assert.match(ada004[0].message, /^Role 'sales' is not in the database's ab_role yet \(`airflow-access sync` creates it from the config\)/);
    } finally {
      await p.done();
      await t.drop();
    }
  });

  test('2.7 fixture (2.7.0 up to 2.8.0): {} wipes; None is ambiguous between 2.7.0 and 2.7.1', { skip: needsShared }, async () => {
    const t = sqliteCopy(path.join(metadataFixturesDir, 'airflow-2.7.x.sqlite'));
    const p = await projectOn(t.url, null);
    try {
      assert.equal(p.project.airflowVersion(), '2.7');
      assert.deepEqual(p.salesPerDag('wiped'), []);
      assert.deepEqual(p.salesPerDag('plain'), ['can_read'], 'from 2.7.1 None keeps grants');
      const note = p.access('plain').conflicts.find((c) => c.kind === 'version_ambiguous');
      assert.match(note?.message ?? '', /On Airflow 2\.7\.0 a DAG without access_control loses every per-DAG grant/);
      assert.deepEqual(runConfigRules(p.project).filter((f) => f.code === 'ADA030'), [], 'no config version, nothing to compare');
    } finally {
      await p.done();
      await t.drop();
    }
  });

  test('config and database disagree: ADA030 once, naming both; the config version is used', { skip: needsShared }, async () => {
    const t = sqliteCopy(path.join(metadataFixturesDir, 'airflow-2.10.x.sqlite'));
    const p = await projectOn(t.url, '2.6.2');
    try {
      assert.equal(p.project.airflowVersion(), '2.6.2');
      assert.deepEqual(p.salesPerDag('plain'), [], '2.6.2 wipes the grants of a DAG whose access_control is None');
      const found = runConfigRules(p.project).filter((f) => f.code === 'ADA030');
      assert.equal(found.length, 1);
      assert.equal(found[0].message, 'airflow.version is 2.6.2, but the database was migrated by Airflow 2.10.3 up to 3.0.0 (exclusive) (alembic_version 5f2621c13b39). The answers follow airflow.version; set it to the version the database runs.');
      assert.deepEqual([found[0].range.start.line, found[0].range.start.character], [2, 11], 'on the version value');
    } finally {
      await p.done();
      await t.drop();
    }
  });

  test('config "2.10" on a 2.10.3 database: no ADA030', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'demo.db');
    await createDemoDatabase(file, { dags: [] });
    const p = await projectOn(`sqlite:///${file}`, '2.10');
    try {
      assert.deepEqual(runConfigRules(p.project).filter((f) => f.code === 'ADA030'), []);
    } finally {
      await p.done();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

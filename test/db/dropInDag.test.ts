/**
 * The drop-in DAG of `generate-sync-dag --replace`: its sync function, run under Debian's Python with
 * SQLAlchemy (no Airflow installed), leaves exactly the per-DAG grants the CLI's sync leaves, on two
 * copies of every fixture (SQLite, PostgreSQL natively; every fixture's rows on MariaDB), prepared like
 * the seed comparison; its second run changes nothing; it writes one audit row.
 */
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadConfigFileAsync } from '../../server/src/config/load';
import { openDatabase } from '../../server/src/db/connect';
import { readDbState } from '../../server/src/db/state';
import type { AccessConfig } from '../../server/src/model/config';
import { applyPlan } from '../../server/src/sync/apply';
import { planSync } from '../../server/src/sync/plan';
import { createPgDb, needsMaria, needsPg, sqliteCopy, tempDir, type TempDb } from '../helpers/dbServers';
import { fixtureIntoMaria } from '../helpers/fixtureToMaria';
import { fixturesDir, hasShared, metadataFixturesDir, needsShared, repoRoot } from '../helpers/paths';
import { perDagGrants, prepare } from '../helpers/seedScenario';
import { cliPath, runCli } from '../cli/cliRunner';

const PYTHON = '/usr/bin/python3';
const HARNESS = path.join(repoRoot, 'test', 'helpers', 'run_drop_in.py');
const SEED_DAG = path.join(fixturesDir, 'mwaa', 'dags', 'permission_sync.py');

function pythonMissing(modules: string[]): string | false {
  try {
    execFileSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore', timeout: 20_000 });
    return false;
  } catch {
    return `needs Debian's ${PYTHON} with ${modules.join(', ')} (apt-get install -y python3-sqlalchemy python3-psycopg2 python3-pymysql); skipped`;
  }
}
const needsSa = pythonMissing(['sqlalchemy']);
const needsPsycopg = pythonMissing(['sqlalchemy', 'psycopg2']);
const needsPymysql = pythonMissing(['sqlalchemy', 'pymysql']);
const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;

/** Our URL -> SQLAlchemy's, with the Debian-packaged driver of each dialect. */
function saUrl(url: string): string {
  return url.replace(/^postgresql:\/\//, 'postgresql+psycopg2://').replace(/^mysql:\/\//, 'mysql+pymysql://');
}

let dropIn: string;
let config: AccessConfig;
before(async () => {
  if (built) return;
  const dir = tempDir();
  dropIn = path.join(dir, 'permission_sync.py');
  const r = await runCli(['generate-sync-dag', '--replace', SEED_DAG, '--out', dropIn, '-q'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  config = (await loadConfigFileAsync(SEED_DAG)).config!;
});

type Counts = { roles_created: number; resources_created: number; grants_added: number; grants_revoked: number };

async function assertSameAsCli(make: () => Promise<TempDb>): Promise<{ grants: number; first: Counts }> {
  const copies = [await make(), await make()];
  const snapDir = tempDir();
  const [cliDb, pyDb] = await Promise.all(copies.map((c) => openDatabase({ url: c.url, env: {} })));
  try {
    await prepare(cliDb);
    await prepare(pyDb);
    const logBefore = await pyDb.query('SELECT COUNT(*) AS n FROM log').catch(() => null);
    await pyDb.close();
    const plan = planSync(await readDbState(cliDb), config, { tagSource: 'db' });
    await applyPlan(cliDb, plan, { snapshotDir: snapDir, auditUser: 'test' });
    const out = JSON.parse(execFileSync(PYTHON, [HARNESS, dropIn, saUrl(copies[1].url)], { encoding: 'utf8', timeout: 120_000 })) as { runs: Counts[]; airflow_dag: boolean };
    assert.equal(out.airflow_dag, false, 'imported without Airflow');
    const py = await openDatabase({ url: copies[1].url, env: {} });
    try {
      const [a, b] = [await perDagGrants(cliDb), await perDagGrants(py)];
      assert.deepEqual(b, a, 'the drop-in leaves the per-DAG grants the CLI leaves');
      assert.deepEqual(out.runs[1], { roles_created: 0, resources_created: 0, grants_added: 0, grants_revoked: 0 }, 'second run changes nothing');
      assert.equal(out.runs[0].grants_revoked, plan.revokeGrants.length, 'the same revocations');
      if (logBefore) {
        const after = await py.query('SELECT COUNT(*) AS n FROM log');
        assert.equal(Number(after[0].n) - Number(logBefore[0].n), 1, 'one audit row (the second run wrote none)');
      }
      return { grants: a.length, first: out.runs[0] };
    } finally {
      await py.close();
    }
  } finally {
    await cliDb.close().catch(() => undefined);
    await Promise.all(copies.map((c) => c.drop()));
    fs.rmSync(snapDir, { recursive: true, force: true });
  }
}

const fixtures = hasShared ? fs.readdirSync(metadataFixturesDir).filter((f) => /\.(sqlite|postgres\.sql)$/.test(f)).sort() : [];
const native = (f: string) => (f.endsWith('.sqlite') ? async () => sqliteCopy(path.join(metadataFixturesDir, f)) : () => createPgDb(path.join(metadataFixturesDir, f)));

describe('drop-in sync DAG under Python + SQLAlchemy = the CLI sync', { skip: built || needsShared || needsSa }, () => {
  for (const f of fixtures.length ? fixtures : ['(no fixtures)']) {
    const pg = f.endsWith('.postgres.sql');
    test(`${f} on ${pg ? 'PostgreSQL (psycopg2)' : 'SQLite'}`, { skip: pg ? needsPg || needsPsycopg : false }, async (t) => {
      const r = await assertSameAsCli(native(f));
      t.diagnostic(`${r.grants} per-DAG grants identical; first run ${JSON.stringify(r.first)}`);
      assert.ok(r.first.grants_added > 0);
    });
    test(`${f} on MariaDB (pymysql)`, { skip: needsMaria || needsPymysql || (pg ? needsPg : false) }, async (t) => {
      const source = await native(f)();
      try {
        const r = await assertSameAsCli(() => fixtureIntoMaria(source.url));
        t.diagnostic(`${r.grants} per-DAG grants identical; first run ${JSON.stringify(r.first)}`);
      } finally {
        await source.drop();
      }
    });
  }
});

describe('drop-in sync DAG: roles that do not exist yet', { skip: built || needsShared || needsSa }, () => {
  test('created on both sides with the same per-DAG grants (airflow-2.10.x.sqlite)', async () => {
    const make = async () => sqliteCopy(path.join(metadataFixturesDir, 'airflow-2.10.x.sqlite'));
    const copies = [await make(), await make()];
    const snapDir = tempDir();
    try {
      const tag = async (url: string) => {
        const db = await openDatabase({ url, env: {} });
        const ids = (await readDbState(db)).dags.map((d) => d.dagId).slice(0, 4);
        for (const id of ids) await db.run('INSERT INTO dag_tag (name, dag_id) VALUES (?, ?)', ['marketing_analyst_edit', id]);
        return db;
      };
      const cliDb = await tag(copies[0].url);
      await (await tag(copies[1].url)).close();
      const plan = planSync(await readDbState(cliDb), config, { tagSource: 'db' });
      assert.deepEqual(plan.createRoles.map((r) => r.name), ['analytics_reporting', 'marketing_analyst']);
      await applyPlan(cliDb, plan, { snapshotDir: snapDir, auditUser: 'test' });
      const out = JSON.parse(execFileSync(PYTHON, [HARNESS, dropIn, saUrl(copies[1].url)], { encoding: 'utf8' })) as { runs: Counts[] };
      assert.equal(out.runs[0].roles_created, 2);
      assert.equal(out.runs[1].roles_created + out.runs[1].grants_added, 0);
      const py = await openDatabase({ url: copies[1].url, env: {} });
      const roles = async (db: typeof py) => (await db.query("SELECT name FROM ab_role WHERE name IN ('analytics_reporting', 'marketing_analyst') ORDER BY name")).map((r) => r.name);
      assert.deepEqual(await roles(py), await roles(cliDb));
      const grants = await perDagGrants(cliDb);
      assert.equal(grants.length, 12, 'can_read, can_edit, can_delete on four DAGs');
      assert.deepEqual(await perDagGrants(py), grants);
      await py.close();
      await cliDb.close();
    } finally {
      await Promise.all(copies.map((c) => c.drop()));
      fs.rmSync(snapDir, { recursive: true, force: true });
    }
  });
});

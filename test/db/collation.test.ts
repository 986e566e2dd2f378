/**
 * Role names as MariaDB compares them (utf8mb4_unicode_ci), audit rows that tell what was written,
 * and the error for a database the user cannot open.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as mysql from 'mysql2/promise';
import { randomBytes } from 'crypto';
import { openDatabase } from '../../server/src/db/connect';
import { createDemoDatabase } from '../../server/src/sync/demo';
import { detectSchema } from '../../server/src/db/schema';
import { readDbState } from '../../server/src/db/state';
import type { Db } from '../../server/src/db/types';
import { planAndApply } from '../../server/src/sync/apply';
import { writePlan } from '../../server/src/sync/applyWrite';
import { collationKey } from '../../server/src/sync/nameCollation';
import { planSync } from '../../server/src/sync/plan';
import { planContext } from '../../server/src/sync/planContext';
import { makeConfig } from '../helpers/dbConfig';
import { MY_HOST, createMariaDb, needsMaria, tempDir } from '../helpers/dbServers';

const count = async (db: Db, table: string) => Number((await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
const audits = async (db: Db) =>
  (await db.query<{ extra: string }>("SELECT extra FROM log WHERE event = 'airflow-dag-access sync' ORDER BY id")).map((r) => JSON.parse(String(r.extra)) as Record<string, unknown>);

const LOOKALIKES = ['Viewer ', 'Viewer\u200b', '\uff36iewer'];

test('MariaDB utf8mb4_unicode_ci: "Viewer ", "Viewer\\u200b" and "Ｖiewer" are the role Viewer: warned, not created, no grants; the audit row matches the rows written', { skip: needsMaria }, async () => {
  const t = await createMariaDb('2.10', [{ dagId: 'sales', tags: ['team'] }]);
  const db = await openDatabase({ url: t.url, env: {} });
  try {
    const config = makeConfig([...LOOKALIKES.map((name) => ({ name, tags: ['team'], baseRole: 'Viewer' })), { name: 'team_ok', tags: ['team'] }, { name: 'Team_OK ', tags: ['team'] }]);
    const plan = planSync(await readDbState(db), config, { tagSource: 'db' });
    assert.deepEqual(plan.createRoles.map((r) => r.name), ['team_ok']);
    assert.deepEqual([...new Set(plan.addGrants.map((g) => g.role))], ['team_ok']);
    const clashes = plan.warnings.filter((w) => w.code === 'role-case-clash');
    assert.deepEqual(clashes.map((w) => w.role).sort(), [...LOOKALIKES, 'Team_OK '].sort());
    assert.match(clashes.find((w) => w.role === 'Viewer\u200b')!.message, /^Role "Viewer\\u200b" differs from existing role "Viewer" only by characters the database ignores/);
    assert.match(clashes.find((w) => w.role === 'Team_OK ')!.message, /differs from configured role "team_ok" only by case and trailing spaces;/);
    const grantsBefore = await count(db, 'ab_permission_view_role');
    const { result } = await planAndApply(db, (s) => planSync(s, config, { tagSource: 'db' }), { snapshotDir: tempDir() });
    const added = (await count(db, 'ab_permission_view_role')) - grantsBefore;
    assert.equal(result!.summary.added, added);
    assert.deepEqual((await audits(db)).map((a) => [a.added, a.createdRoles]), [[added, 1]]);
    // A second run plans nothing (the bug re-planned the same role and grants on every run).
    assert.equal(planSync(await readDbState(db), config, { tagSource: 'db' }).empty, true);
  } finally {
    await db.close();
    await t.drop();
  }
});

test('MariaDB: the name key agrees with the column collation on every pair of tricky names', { skip: needsMaria }, async () => {
  const t = await createMariaDb('2.10', []);
  const db = await openDatabase({ url: t.url, env: {} });
  try {
    const names = [
      'Viewer', 'viewer', 'VIEWER', 'Viewer ', 'Viewer  ', ' Viewer', 'Viewer\t', 'Viewer\n', 'Viewer\u200b', 'Vie\u200dwer', 'Viewer\u202e', 'Viewer\ufeff',
      '\uff36iewer', 'Vi\u00e9wer', 'Vie\u0301wer', 'Viewer\u00a0', 'Viewer\u00ad', 'Vie\u0000wer', 'Vie\u0001wer', 'Viewer\u007f', 'Viewer\u0085',
      'Viewer\u{1f600}', 'Viewer\u{1f601}', 'Viewer\ufffd', '\u2164iewer', 'Stra\u00dfe', 'strasse', 'Strase', 'Op', 'op', '\ufb01x', 'fix', 'Public', 'Publ\u0131c',
    ];
    const key = collationKey('utf8mb4_unicode_ci');
    const { nameTypes } = await detectSchema(db);
    assert.match(nameTypes.ab_role ?? '', /COLLATE utf8mb4_unicode_ci/);
    await db.run(`CREATE TABLE names_probe (id INT PRIMARY KEY, name ${nameTypes.ab_role})`);
    for (const [i, n] of names.entries()) await db.run('INSERT INTO names_probe (id, name) VALUES (?, ?)', [i, n]);
    const rows = await db.query<{ a: number; b: number; eq: unknown }>('SELECT x.id AS a, y.id AS b, x.name = y.name AS eq FROM names_probe x CROSS JOIN names_probe y WHERE x.id < y.id');
    const wrong = rows.filter((r) => (Number(r.eq) === 1) !== (key(names[r.a]) === key(names[r.b]))).map((r) => `${JSON.stringify(names[r.a])} vs ${JSON.stringify(names[r.b])}: MariaDB ${Number(r.eq) ? 'equal' : 'different'}`);
    assert.deepEqual(wrong, []);
  } finally {
    await db.close();
    await t.drop();
  }
});

test('audit row: counts what the statements wrote, not what the plan said (plan written twice)', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'a.db');
  await createDemoDatabase(file, { airflowVersion: '2.10', dags: [{ dagId: 'a', tags: ['t'] }, { dagId: 'b', tags: ['t'] }] });
  const db = await openDatabase({ url: `sqlite:///${file}`, env: {} });
  try {
    const plan = planSync(await readDbState(db), makeConfig([{ name: 'Viewer', tags: ['t'] }, { name: 'team', tags: ['t'] }], { manageBuiltin: true }), { tagSource: 'db' });
    assert.ok(plan.summary.add > 0);
    const ids = planContext(plan)!.ids;
    for (let run = 0; run < 2; run++) await db.transaction(async (tx) => writePlan(tx, await detectSchema(tx), plan.planId, plan, ids, { snapshotDir: dir }));
    const [first, second] = await audits(db);
    assert.deepEqual([first.added, first.createdRoles], [plan.summary.add, 1]);
    assert.deepEqual([second.added, second.createdRoles, second.revoked], [0, 0, 0], 'the second write added nothing, and its audit row says so');
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('MariaDB: a user without rights on the database (or an unknown one) is not told "wrong user or password"', { skip: needsMaria }, async () => {
  const user = `ada_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection({ host: MY_HOST, user: 'root' });
  await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
  await admin.query(`CREATE USER '${user}'@'localhost' IDENTIFIED BY '${password}'`);
  try {
    for (const dbName of ['test', `no_such_db_${user}`]) {
      await assert.rejects(openDatabase({ url: `mysql://${user}@${MY_HOST}:3306/${dbName}`, env: { AIRFLOW_ACCESS_DB_PASSWORD: password } }), (e: Error & { code?: string }) => {
        assert.doesNotMatch(e.message, /wrong user or password/);
        assert.equal(e.code, 'no-database', e.message);
        assert.match(e.message, /^No access to the database of .*\/(test|no_such_db_\w+): the user and password were accepted, but the user has no rights on this database, or it does not exist\./);
        assert.ok(!e.message.includes(password));
        return true;
      });
    }
    // A wrong password is still said as such.
    await assert.rejects(openDatabase({ url: `mysql://${user}@${MY_HOST}:3306/test`, env: { AIRFLOW_ACCESS_DB_PASSWORD: 'nope' } }), /wrong user or password/);
  } finally {
    await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await admin.query(`DROP USER IF EXISTS '${user}'@'localhost'`);
    await admin.end();
  }
});

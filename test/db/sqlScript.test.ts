/** `plan --format sql`: each dialect's script says how to run it, and the MySQL one runs with any client character set. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import { openDatabase } from '../../server/src/db/connect';
import { readDbState } from '../../server/src/db/state';
import { planToSql } from '../../server/src/sync/format';
import { planSync } from '../../server/src/sync/plan';
import { makeConfig } from '../helpers/dbConfig';
import { MY_HOST, createMariaDb, needsMaria } from '../helpers/dbServers';

const ROCKET = 'team_\u{1f680}';

test('MariaDB: the SQL script sets utf8mb4 itself, so a 4-byte role name survives a utf8mb3 client; its header names the mariadb/mysql client', { skip: needsMaria }, async () => {
  const t = await createMariaDb('2.10', [{ dagId: 'rocket', tags: ['launch'] }]);
  const config = makeConfig([{ name: ROCKET, tags: ['launch'] }]);
  try {
    let db = await openDatabase({ url: t.url, env: {} });
    const sql = planToSql(planSync(await readDbState(db), config, { tagSource: 'db' }));
    await db.close();
    const header = sql.split('\n').slice(0, 5).join('\n');
    assert.match(header, /^-- Generated from the plan: review it, then run it with mysql --default-character-set=utf8mb4 < this\.sql/m);
    assert.doesNotMatch(header, /psql/);
    assert.match(sql, /^SET NAMES utf8mb4;\nSELECT GET_LOCK/m);
    execFileSync('mariadb', ['-h', MY_HOST, '-uroot', '--default-character-set=utf8mb3', t.name], { input: sql, stdio: ['pipe', 'ignore', 'pipe'] });
    db = await openDatabase({ url: t.url, env: {} });
    try {
      assert.deepEqual((await db.query<{ name: string }>('SELECT name FROM ab_role WHERE name LIKE ?', ['team_%'])).map((r) => r.name), [ROCKET]);
      assert.equal(planSync(await readDbState(db), config, { tagSource: 'db' }).empty, true, 'the script applied the whole plan');
    } finally {
      await db.close();
    }
  } finally {
    await t.drop();
  }
});

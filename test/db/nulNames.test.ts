/** A NUL character in one workspace DAG's id or tag does not fail the PostgreSQL sync of the others; the plan names it. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { openDatabase } from '../../server/src/db/connect';
import { airflowSchemaDdl } from '../../server/src/db/airflowSchema';
import { seedAirflowMetadata } from '../../server/src/sync/demo';
import { readDbState } from '../../server/src/db/state';
import { planAndApply } from '../../server/src/sync/apply';
import { planSync } from '../../server/src/sync/plan';
import type { WorkspaceDag } from '../../server/src/sync/types';
import { makeConfig } from '../helpers/dbConfig';
import { createPgDb, needsPg, tempDir } from '../helpers/dbServers';

test('PostgreSQL, --tag-source workspace: a dag_id and a tag with NUL are left out with a warning naming them; the rest is synced', { skip: needsPg }, async () => {
  const t = await createPgDb();
  const db = await openDatabase({ url: t.url, env: {} });
  try {
    for (const s of airflowSchemaDdl('sqlite', '2.10')) await db.run(s.replace(/id INTEGER NOT NULL,/g, 'id SERIAL NOT NULL,'));
    await db.transaction((tx) => seedAirflowMetadata(tx, '2.10', [{ dagId: 'good', tags: [] }]));
    const ws: WorkspaceDag[] = [
      { dagId: 'good', tags: ['team_read', 'x\u0000_read'], file: 'dags/good.py', hasAccessControl: false },
      { dagId: 'bad\u0000id', tags: ['team_read'], file: 'dags/bad.py', hasAccessControl: false },
    ];
    const config = makeConfig([{ name: 'team', tags: ['team_read'] }], { tagPattern: /^(.*)_read$/ });
    const plan = (s: Awaited<ReturnType<typeof readDbState>>) => planSync(s, config, { tagSource: 'workspace', workspaceDags: ws });
    const { plan: applied, result } = await planAndApply(db, plan, { snapshotDir: tempDir() });
    assert.ok(result?.applied);
    assert.deepEqual([...new Set(applied.addGrants.filter((g) => g.dagId !== null).map((g) => g.resource))], ['DAG:good']);
    assert.deepEqual(
      applied.warnings.filter((w) => w.code === 'nul-in-name').map((w) => w.message),
      ['Tag "x\\u0000_read" of DAG "good" (dags/good.py) is left out: it contains a NUL character (ADA025).', 'DAG "bad\\u0000id" in dags/bad.py is left out: its dag_id contains a NUL character, which the database cannot store.'],
    );
    assert.equal(plan(await readDbState(db)).empty, true);
  } finally {
    await db.close();
    await t.drop();
  }
});

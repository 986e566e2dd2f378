/**
 * A MariaDB copy of a real Airflow metadata fixture: the project's MySQL DDL (Airflow 2.10 or 3.0,
 * after the fixture's DAG liveness column) filled with the fixture's own security rows (same ids),
 * DAGs and tags. There is no MySQL fixture dump; this puts the real rows on the third dialect.
 */
import { openDatabase } from '../../server/src/db/connect';
import { readDbState } from '../../server/src/db/state';
import type { Db, SqlValue } from '../../server/src/db/types';
import { createMariaDb, type TempDb } from './dbServers';

const TABLES: [string, string[]][] = [
  ['ab_role', ['id', 'name']],
  ['ab_permission', ['id', 'name']],
  ['ab_view_menu', ['id', 'name']],
  ['ab_permission_view', ['id', 'permission_id', 'view_menu_id']],
  ['ab_permission_view_role', ['id', 'permission_view_id', 'role_id']],
];

export async function fixtureIntoMaria(srcUrl: string): Promise<TempDb> {
  const src = await openDatabase({ url: srcUrl, env: {} });
  let rows: Map<string, SqlValue[][]>;
  let active: string;
  try {
    const state = await readDbState(src);
    active = state.schema.activeColumn ?? 'is_active';
    rows = new Map();
    for (const [t, cols] of TABLES) rows.set(t, (await src.query(`SELECT ${cols.join(', ')} FROM ${t} ORDER BY id`)).map((r) => cols.map((c) => r[c] as SqlValue)));
    const flag = (v: unknown) => (v === null || v === undefined ? null : v === true || v === 1 || v === '1' || v === 't' ? 1 : 0);
    rows.set('dag', (await src.query(`SELECT dag_id, ${active} AS flag FROM dag ORDER BY dag_id`)).map((r) => [r.dag_id as string, flag(r.flag)]));
    rows.set('dag_tag', (await src.query('SELECT name, dag_id FROM dag_tag ORDER BY dag_id, name')).map((r) => [r.name as string, r.dag_id as string]));
  } finally {
    await src.close();
  }
  const t = await createMariaDb(active === 'is_stale' ? '3.0' : '2.10', []);
  const db = await openDatabase({ url: t.url, env: {} });
  try {
    // One session: FOREIGN_KEY_CHECKS is per connection.
    await db.transaction(async (tx) => {
      await tx.run('SET FOREIGN_KEY_CHECKS = 0');
      for (const table of ['ab_permission_view_role', 'ab_permission_view', 'ab_view_menu', 'ab_permission', 'ab_role', 'dag_tag', 'dag']) await tx.run(`DELETE FROM ${table}`);
      const columns: [string, string[]][] = [...TABLES, ['dag', ['dag_id', active]], ['dag_tag', ['name', 'dag_id']]];
      for (const [table, cols] of columns) await insertAll(tx, table, cols, rows.get(table)!);
      await tx.run('SET FOREIGN_KEY_CHECKS = 1');
    });
  } catch (e) {
    await db.close();
    await t.drop();
    throw e;
  }
  await db.close();
  return t;
}

async function insertAll(db: Db, table: string, cols: string[], rows: SqlValue[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    const tuple = `(${cols.map(() => '?').join(', ')})`;
    await db.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`, chunk.flat());
  }
}

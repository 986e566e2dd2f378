/**
 * Test oracle: what the MWAA tag-sync DAG of seed 000 leaves in the metadata database, written from
 * the seed's description (not its code), over our Db abstraction so it runs on every dialect.
 *
 * Per role_mappings entry, in list order, each step committed on its own as the seed does:
 *  1. look up the role by name; a missing role stops the whole run with an error;
 *  2. with do_cleanup (default true), delete every grant of the role on a resource named `DAG:%`
 *     (from here until step 5 the role has no per-DAG access: the window our sync avoids);
 *  3. the DAG ids carrying the entry's edit tag: every `dag_tag` row, live DAG or not;
 *  4. of their `DAG:<id>` resources only those already in ab_view_menu are used (none: next entry);
 *  5. for each permission (default can_read; a missing permission name is an error) make sure the
 *     (permission, resource) pair exists, then grant every such pair to the role unless held.
 * The seed's inserts use `ON CONFLICT DO NOTHING`, which MySQL rejects; the oracle keeps their
 * meaning ("insert if absent") with NOT EXISTS so it runs on all three dialects.
 */
import type { Db } from '../../server/src/db/types';

export interface SeedMapping {
  airflow_role: string;
  airflow_edit_tag: string;
  permissions?: string[];
  do_cleanup?: boolean;
}

export async function runSeedOracle(db: Db, mappings: SeedMapping[]): Promise<void> {
  for (const m of mappings) {
    const role = await one(db, 'SELECT id FROM ab_role WHERE name = ?', [m.airflow_role]);
    if (role === null) throw new Error(`Airflow role not found: ${m.airflow_role}`);
    if (m.do_cleanup ?? true) {
      await db.transaction((tx) =>
        tx.run(
          'DELETE FROM ab_permission_view_role WHERE role_id = ? AND permission_view_id IN ' +
            '(SELECT pv.id FROM ab_permission_view pv JOIN ab_view_menu vm ON vm.id = pv.view_menu_id WHERE vm.name LIKE ?)',
          [role, 'DAG:%'],
        ),
      );
    }
    const dagIds = (await db.query('SELECT DISTINCT dag_id FROM dag_tag WHERE name = ?', [m.airflow_edit_tag])).map((r) => String(r.dag_id));
    if (!dagIds.length) continue;
    const names = dagIds.map((d) => `DAG:${d.trim()}`);
    const views = (await db.query(`SELECT id FROM ab_view_menu WHERE name IN (${names.map(() => '?').join(', ')})`, names)).map((r) => Number(r.id));
    if (!views.length) continue;
    const pvIds: number[] = [];
    for (const perm of m.permissions ?? ['can_read']) {
      const permId = await one(db, 'SELECT id FROM ab_permission WHERE name = ?', [perm]);
      if (permId === null) throw new Error(`Airflow permission not found: ${perm}`);
      await db.transaction(async (tx) => {
        for (const v of views) {
          const held = await one(tx, 'SELECT id FROM ab_permission_view WHERE permission_id = ? AND view_menu_id = ?', [permId, v]);
          if (held === null) await tx.run('INSERT INTO ab_permission_view (permission_id, view_menu_id) VALUES (?, ?)', [permId, v]);
        }
      });
      const rows = await db.query(`SELECT id FROM ab_permission_view WHERE permission_id = ? AND view_menu_id IN (${views.map(() => '?').join(', ')})`, [permId, ...views]);
      pvIds.push(...rows.map((r) => Number(r.id)));
    }
    await db.transaction(async (tx) => {
      for (const pv of pvIds) {
        const held = await one(tx, 'SELECT id FROM ab_permission_view_role WHERE permission_view_id = ? AND role_id = ?', [pv, role]);
        if (held === null) await tx.run('INSERT INTO ab_permission_view_role (permission_view_id, role_id) VALUES (?, ?)', [pv, role]);
      }
    });
  }
}

async function one(db: Db, sql: string, params: (string | number)[]): Promise<number | null> {
  const rows = await db.query(sql, params);
  return rows.length ? Number(rows[0].id) : null;
}

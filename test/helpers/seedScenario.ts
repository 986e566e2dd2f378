/**
 * The shared set-up of the seed comparisons (seedEquivalence, dropInDag): the seed's two roles created
 * by hand from Viewer as its instructions say, its edit tags on some DAGs (live or not), one stale and
 * one already-correct grant; and every per-DAG grant read back as "role|action|resource".
 */
import { readDbState } from '../../server/src/db/state';
import type { Db } from '../../server/src/db/types';

export const ROLES = ['analytics_reporting', 'marketing_analyst'];
export const TAG = { analytics_reporting: 'analytics_reporting_edit', marketing_analyst: 'marketing_analyst_edit' } as const;

export interface Prepared {
  live: Set<string>;
  resources: Set<string>;
  /** pvr id of the grant that is already right before the sync, or null when the fixture has no place for one. */
  keptGrant: { role: string; resource: string; id: number } | null;
}

const q = async (db: Db, sql: string, p: (string | number)[] = []) => db.query(sql, p);
export const firstId = async (db: Db, sql: string, p: (string | number)[]) => {
  const rows = await q(db, sql, p);
  return rows.length ? Number(rows[0].id) : null;
};
const PV_ID = 'SELECT pv.id FROM ab_permission_view pv JOIN ab_permission p ON p.id = pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id WHERE p.name = ? AND v.name = ?';

/** Identical on both copies: the roles (Viewer's permissions copied, the seed's manual step), tags, two grants. */
export async function prepare(db: Db): Promise<Prepared> {
  const state = await readDbState(db);
  const live = new Set(state.dags.map((d) => d.dagId));
  const all = [...new Set([...live, ...state.inactiveDagIds])].sort();
  const resources = new Set(state.resources.map((r) => r.name));
  const tagged = (role: keyof typeof TAG, i: number) => (role === 'analytics_reporting' ? i % 3 !== 1 : i % 2 === 1);
  let keptGrant: Prepared['keptGrant'] = null;
  await db.transaction(async (tx) => {
    const viewer = await firstId(tx, 'SELECT id FROM ab_role WHERE name = ?', ['Viewer']);
    for (const role of ROLES) {
      await tx.run('INSERT INTO ab_role (name) VALUES (?)', [role]);
      const id = (await firstId(tx, 'SELECT id FROM ab_role WHERE name = ?', [role]))!;
      if (viewer !== null) await tx.run('INSERT INTO ab_permission_view_role (permission_view_id, role_id) SELECT permission_view_id, ? FROM ab_permission_view_role WHERE role_id = ?', [id, viewer]);
    }
    for (const [i, dagId] of all.entries()) {
      for (const role of ROLES as (keyof typeof TAG)[]) if (tagged(role, i)) await tx.run('INSERT INTO dag_tag (name, dag_id) VALUES (?, ?)', [TAG[role], dagId]);
    }
    const analytics = (await firstId(tx, 'SELECT id FROM ab_role WHERE name = ?', ['analytics_reporting']))!;
    // Stale: can_edit on a DAG without the analytics tag (cleanup removes it).
    const staleDag = all.find((d, i) => !tagged('analytics_reporting', i) && resources.has(`DAG:${d}`));
    const stalePv = staleDag ? await firstId(tx, PV_ID, ['can_edit', `DAG:${staleDag}`]) : null;
    if (stalePv !== null) await tx.run('INSERT INTO ab_permission_view_role (permission_view_id, role_id) VALUES (?, ?)', [stalePv, analytics]);
    // Already right: can_read on a live DAG with the analytics tag.
    const keptDag = all.find((d, i) => tagged('analytics_reporting', i) && live.has(d) && resources.has(`DAG:${d}`));
    const keptPv = keptDag ? await firstId(tx, PV_ID, ['can_read', `DAG:${keptDag}`]) : null;
    if (keptPv !== null) {
      await tx.run('INSERT INTO ab_permission_view_role (permission_view_id, role_id) VALUES (?, ?)', [keptPv, analytics]);
      const id = (await firstId(tx, 'SELECT id FROM ab_permission_view_role WHERE permission_view_id = ? AND role_id = ?', [keptPv, analytics]))!;
      keptGrant = { role: 'analytics_reporting', resource: `DAG:${keptDag}`, id };
    }
  });
  return { live, resources, keptGrant };
}

/** Every grant on a `DAG:<id>` resource, as "role|action|resource", sorted. */
export async function perDagGrants(db: Db): Promise<string[]> {
  const rows = await q(db,
    'SELECT r.name AS role, p.name AS action, v.name AS resource FROM ab_permission_view_role g JOIN ab_role r ON r.id = g.role_id ' +
      'JOIN ab_permission_view pv ON pv.id = g.permission_view_id JOIN ab_permission p ON p.id = pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id WHERE v.name LIKE ?',
    ['DAG:%']);
  return rows.map((r) => `${String(r.role)}|${String(r.action)}|${String(r.resource)}`).sort();
}


/**
 * A synthetic Airflow 2.10 metadata DB (PostgreSQL or SQLite) of any size, as Airflow leaves it after
 * parsing: `nDags` DAGs with one or two tags each (`tag-NN`), their `DAG:<id>` resources and
 * permissions, and `nRoles` roles (`team_NN`) holding no per-DAG grants yet. Used by the sync
 * benchmark and the PostgreSQL bulk-insert tests.
 */
import { airflowSchemaDdl } from '../../server/src/db/airflowSchema';
import { seedAirflowMetadata } from '../../server/src/sync/demo';
import type { Db } from '../../server/src/db/types';
import { insertNames, insertPermissionViews } from '../../server/src/sync/statements';
import { contextForScript } from '../../server/src/sync/steps';

export const SYNTHETIC_ACTIONS = ['can_read', 'can_edit', 'can_delete'];
export const tagOf = (r: number) => `tag-${String(r).padStart(2, '0')}`;
export const roleOf = (r: number) => `team_${String(r).padStart(2, '0')}`;

export async function buildDb(db: Db, nDags: number, nRoles: number): Promise<void> {
  const pg = db.dialect === 'postgres';
  for (const s of airflowSchemaDdl('sqlite', '2.10')) await db.run(pg ? s.replace(/id INTEGER NOT NULL,/g, 'id SERIAL NOT NULL,') : s);
  await db.transaction(async (tx) => {
    await seedAirflowMetadata(tx, '2.10', []);
    const ctx = contextForScript(db.dialect);
    const ids = Array.from({ length: nDags }, (_, i) => `dag_${String(i).padStart(5, '0')}`);
    const j = JSON.stringify(ids.map((d) => [d]));
    const src = pg ? `(SELECT e->>0 AS c0 FROM json_array_elements(CAST(? AS json)) e) x` : `(SELECT json_extract(value, '$[0]') AS c0 FROM json_each(?)) x`;
    await tx.run(`INSERT INTO dag (dag_id, is_paused, is_active, max_active_tasks, has_task_concurrency_limits) SELECT x.c0, ${pg ? 'false, true' : '0, 1'}, 16, ${pg ? 'false' : '0'} FROM ${src}`, [j]);
    const tags: [string, string][] = [];
    ids.forEach((d, i) => {
      tags.push([tagOf(i % nRoles), d]);
      if ((i * 7 + 3) % nRoles !== i % nRoles) tags.push([tagOf((i * 7 + 3) % nRoles), d]);
    });
    const tsrc = pg ? `(SELECT e->>0 AS c0, e->>1 AS c1 FROM json_array_elements(CAST(? AS json)) e) x` : `(SELECT json_extract(value, '$[0]') AS c0, json_extract(value, '$[1]') AS c1 FROM json_each(?)) x`;
    await tx.run(`INSERT INTO dag_tag (name, dag_id) SELECT x.c0, x.c1 FROM ${tsrc}`, [JSON.stringify(tags)]);
    // As Airflow does at parse time: DAG:<id> resources and their permissions exist, unassigned.
    const resources = insertNames(ctx, 'ab_view_menu', ids.map((d) => `DAG:${d}`));
    await tx.run(resources.sql, resources.params);
    const pvs = insertPermissionViews(ctx, ids.flatMap((d) => SYNTHETIC_ACTIONS.map((a) => ({ action: a, resource: `DAG:${d}` }))));
    await tx.run(pvs.sql, pvs.params);
    const roles = insertNames(ctx, 'ab_role', Array.from({ length: nRoles }, (_, r) => roleOf(r)));
    await tx.run(roles.sql, roles.params);
  });
}

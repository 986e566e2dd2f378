/**
 * The sync plan's "Airflow will revert this" warning and the engine keep the same grants: Airflow's
 * revocation (`_sync_dag_view_permissions`) reads the access_control mapping as written, before it
 * validates an entry, so a valid action next to an invalid one is kept.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { workspaceDags } from '../../../server/src/project/workspaceDags';
import { SALES_CONFIG, workspace } from '../rules/helpers';

const CONFIG = SALES_CONFIG;

test('an invalid action next to a valid one: the plan keeps what the engine keeps', async () => {
  const w = await workspace({ 'airflow-access.yaml': CONFIG, 'dags/y.py': 'from airflow import DAG\nwith DAG("y", tags=["sales_edit"], access_control={"sales": {"can_read", "can_bogus"}}):\n    pass\n' });
  try {
    const y = workspaceDags(w.project).find((d) => d.dagId === 'y')!;
    assert.deepEqual(y.accessControlKeeps, ['sales|DAGs|can_read']);
    const { file, dag } = w.project.allDags()[0];
    const sales = w.project.dagAccess(file, dag)!.roles.find((r) => r.role === 'sales')!;
    assert.deepEqual(sales.dagActions, ['can_read'], 'the engine: read stays, edit is reverted');
  } finally {
    await w.project.dispose();
    fs.rmSync(w.root, { recursive: true, force: true });
  }
});

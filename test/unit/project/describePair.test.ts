/**
 * The matrix cell's explanation (one role on one DAG) says why a grant is missing or reverted: the
 * engine's findings about that role on that DAG sit next to its grants.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { pairMarkdown } from '../../../server/src/project/describePair';
import { SALES_CONFIG, workspace } from '../rules/helpers';

const CONFIG = SALES_CONFIG;
const DAG = 'from airflow import DAG\nwith DAG("x", tags=["sales_edit"], access_control={"ghost": {"can_read"}, "sales": {"can_read"}}):\n    pass\n';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => { ws = await workspace({ 'airflow-access.yaml': CONFIG, 'dags/x.py': DAG }); });
after(async () => {
  await ws.project.dispose();
  fs.rmSync(ws.root, { recursive: true, force: true });
});

const pair = (role: string) => {
  const { file, dag } = ws.project.allDags().find((d) => d.dag.dagId.kind === 'static' && d.dag.dagId.value === 'x')!;
  return pairMarkdown(ws.project, ws.project.dagAccess(file, dag)!, role);
};

test('a role access_control names that does not exist: no access, and why', () => {
  const md = pair('ghost');
  assert.match(md, /^\*\*Role `ghost` on DAG `x`\*\*: no access\.\n\n⚠ Role 'ghost' is not in the config or the default roles: .*fails the DAG's import/);
});

test('a tag grant access_control reverts: the grant is marked and the warning says what to do', () => {
  const md = pair('sales');
  assert.match(md, /via tag `sales_edit` — read, edit/);
  assert.match(md, /⚠ Tag 'sales_edit' grants 'sales' access, but the DAG's access_control is authoritative: .*Add the role to access_control or remove access_control\./);
  assert.doesNotMatch(md, /ghost/, 'only the findings about this role');
});

/**
 * A file Airflow cannot import registers no DAG: check, explain (editor and CLI), hover, code lens,
 * tree, matrix and the workspace plan all say so with one sentence, and no grant from it applies.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { explainText } from '../../../server/src/cli/output/access';
import { buildMatrix } from '../../../server/src/engine/matrix';
import { matrixToMarkdown } from '../../../server/src/engine/matrixExport';
import { dagAccessMarkdown } from '../../../server/src/project/describe';
import { workspaceDags } from '../../../server/src/project/workspaceDags';
import { runRules } from '../../../server/src/rules';
import { workspace } from '../rules/helpers';

const BROKEN = 'from airflow import DAG\n\nwith DAG("broken_sales", tags=["sales_edit"]) as dag:\n    x = 1\n      y = 2\n';
const SENTENCE = 'Airflow cannot import this file (line 5: IndentationError: unexpected indent): it registers none of its DAGs, and no grant from this file applies.';

test('a DAG in a file with an indentation error: the same sentence everywhere, and no role reaches it', async () => {
  const ws = await workspace({ 'dags/broken.py': BROKEN, 'dags/ok.py': 'from airflow import DAG\nwith DAG("fine", tags=["sales_edit"]):\n    pass\n' });
  try {
    const file = ws.file('dags/broken.py');
    const facts = ws.project.getFile(file)!;
    const dag = facts.dags[0]!;
    const access = ws.project.dagAccess(file, dag)!;
    assert.equal(access.notImported, SENTENCE);
    assert.deepEqual(access.roles, []);
    assert.equal(access.summary.canEdit, 0);
    // check
    const findings = runRules(ws.project, file).filter((f) => f.code === 'ADA099');
    assert.deepEqual(findings.map((f) => [f.range.start.line, f.message]), [
      [4, 'IndentationError: unexpected indent'],
      [2, `DAG 'broken_sales' is not registered. ${SENTENCE}`],
    ]);
    // hover and the editor's explain
    assert.match(dagAccessMarkdown(ws.project, access), new RegExp(`not registered\\n\\n⚠ ${escape(SENTENCE)}`));
    // CLI explain
    const plain = { bold: (s: string) => s, dim: (s: string) => s, cyan: (s: string) => s, red: (s: string) => s, yellow: (s: string) => s, green: (s: string) => s };
    assert.equal(explainText({ dagId: 'broken_sales', file, range: dag.dagId.range }, access, (f) => f, plain as never).split('\n')[1], SENTENCE);
    // matrix: the row has no grants and a note
    const ok = ws.file('dags/ok.py');
    const okDag = ws.project.getFile(ok)!.dags[0]!;
    const m = buildMatrix([
      { dagId: 'broken_sales', file, range: dag.dagId.range, tags: ['sales_edit'], team: null, access },
      { dagId: 'fine', file: ok, range: okDag.dagId.range, tags: ['sales_edit'], team: null, access: ws.project.dagAccess(ok, okDag)! },
    ]);
    assert.ok(matrixToMarkdown(m).includes(`⚠ broken_sales: ${SENTENCE}`));
    assert.ok(m.cells[0]!.every((c) => c.length === 0));
    // plan --tag-source workspace
    assert.equal(workspaceDags(ws.project).find((d) => d.dagId === 'broken_sales')?.importError, SENTENCE);
    assert.equal(workspaceDags(ws.project).find((d) => d.dagId === 'fine')?.importError, undefined);
  } finally {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('a bare @asset raises TypeError at import: ADA027 at the decorator, and every DAG of the file is not registered', async () => {
  const src = [
    'from airflow.sdk import asset',
    '',
    '@asset(schedule=None, tags=["sales_edit"])',
    'def orders():',
    '    pass',
    '',
    '@asset',
    'def customers():',
    '    pass',
    '',
  ].join('\n');
  const ws = await workspace({ 'dags/assets.py': src });
  try {
    const file = ws.file('dags/assets.py');
    const facts = ws.project.getFile(file)!;
    const orders = facts.dags.find((d) => d.dagId.kind === 'static' && d.dagId.value === 'orders')!;
    const access = ws.project.dagAccess(file, orders)!;
    const sentence = 'Airflow cannot import this file (line 7: TypeError: a bare @asset calls asset(<function>), but asset takes keyword arguments only and needs schedule=; write @asset(schedule=...)): it registers none of its DAGs, and no grant from this file applies.';
    assert.equal(access.notImported, sentence);
    assert.deepEqual(access.roles, []);
    const findings = runRules(ws.project, file).filter((f) => f.code === 'ADA027' || f.code === 'ADA099');
    assert.deepEqual(findings.map((f) => [f.code, f.range.start.line, f.message]), [
      ['ADA027', 6, 'TypeError: a bare @asset calls asset(<function>), but asset takes keyword arguments only and needs schedule=; write @asset(schedule=...). Airflow cannot import this file.'],
      ['ADA027', 2, `DAG 'orders' is not registered. ${sentence}`],
    ]);
    assert.equal(findings[0]!.severity, 'error');
    assert.equal(workspaceDags(ws.project).find((d) => d.dagId === 'orders')?.importError, sentence);
  } finally {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

/**
 * The editor's matrix and the CLI's `matrix` come from one builder and one exporter: for the example
 * workspace the editor's CSV and Markdown exports are the CLI's output byte for byte, the webview's
 * cell codes agree with the CSV's actions, and opening a cell explains that role with its provenance.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import type { ExplainRequest, MatrixExportRequest, MatrixRequest } from '../../server/src/protocol';
import { cellKind } from '../../server/src/engine/matrix';
import { cleanEnv, cliPath, runCli } from '../cli/cliRunner';
import { exampleWorkspace } from '../helpers/lspClient';

describe('editor and CLI matrices are the same', { skip: fs.existsSync(cliPath) ? false : `needs the built CLI (${cliPath}); skipped` }, () => {
  const ws = exampleWorkspace();

  for (const format of ['csv', 'md'] as const) {
    test(`--format ${format}: the editor's export is the CLI's output`, async () => {
      const editor = await ws.client.request<MatrixExportRequest.Result>('airflowDagAccess/matrixExport', { format });
      const cli = await runCli(['matrix', '--root', ws.root, '--format', format, '-q', '--no-color'], { env: cleanEnv() });
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal(editor.text, cli.stdout);
      assert.ok(editor.dags >= 4 && editor.roles >= 5, `${editor.dags} DAGs × ${editor.roles} roles`);
    });
  }

  test('the webview cells say what the CSV says, and how each role holds it', async () => {
    const m = await ws.client.request<MatrixRequest.Result>('airflowDagAccess/matrix', {});
    const csv = (await ws.client.request<MatrixExportRequest.Result>('airflowDagAccess/matrixExport', { format: 'csv' })).text.trimEnd().split('\n');
    assert.deepEqual(csv[0]!.split(',').slice(2), m.roles);
    assert.deepEqual(csv.slice(1).map((l) => l.split(',')[0]), m.dags.map((d) => d.dagId));
    m.dags.forEach((_, i) => {
      const fields = csv[i + 1]!.split(',').slice(2);
      m.roles.forEach((role, j) => {
        const actions = fields[j]!.split(' ');
        const code = m.codes[i * m.roles.length + j]!;
        for (const [kind, action] of [['read', 'can_read'], ['edit', 'can_edit'], ['delete', 'can_delete']] as const) {
          const s = cellKind(code, kind).state;
          assert.equal(s === 'dag' || s === 'wide', actions.includes(action), `${m.dags[i]!.dagId} × ${role} ${kind}: ${s} vs "${fields[j]}"`);
        }
      });
    });
    const code = (dag: string, role: string) => m.codes[m.dags.findIndex((d) => d.dagId === dag) * m.roles.length + m.roles.indexOf(role)]!;
    assert.equal(cellKind(code('analytics_reporting_dag', 'analytics_reporting'), 'edit').state, 'dag', 'by its tag, on that DAG only');
    assert.equal(cellKind(code('analytics_reporting_dag', 'Viewer'), 'read').state, 'wide', 'Viewer reads every DAG');
    // finance_ledger's access_control is authoritative: the tag grant of analytics_reporting is reverted.
    assert.equal(cellKind(code('finance_ledger', 'analytics_reporting'), 'edit').state, 'reverted');
    // Viewer, Admin, Op, User hold the same on every DAG: folded into one column.
    assert.deepEqual(m.folded.map((j) => m.roles[j]), ['Admin', 'Op', 'User', 'Viewer']);
    assert.match(m.foldedLine, /^Admin, Op, User: read, edit, delete, .* · Viewer: read, run:read, run:menu_access$/);
    assert.ok(m.tags[m.dags.findIndex((d) => d.dagId === 'finance_ledger')]!.includes('finance_read'));
  });

  test('a cell opens the explanation of that role on that DAG, with where each grant comes from', async () => {
    const m = await ws.client.request<MatrixRequest.Result>('airflowDagAccess/matrix', {});
    const dag = m.dags.find((d) => d.dagId === 'finance_ledger')!;
    const r = await ws.client.request<ExplainRequest.Result>('airflowDagAccess/explain', { uri: dag.uri, dagId: dag.dagId, role: 'finance_auditor' });
    const pair = r.markdown.split('\n---\n')[0]!;
    // The reasons are the hover's, explain's and the tree's (engine/grantReasons.ts), each with its links.
    assert.match(pair, /^\*\*Role `finance_auditor` on DAG `finance_ledger`\*\* — read · runs: read/);
    assert.match(pair, /^- via tag `finance_read` — read\n  Tag `finance_read` on the DAG \(\[dags\/finance_ledger\.py:\d+\]\(file:.*\)\) is mapped to role `finance_auditor` in \[airflow-access\.yaml:\d+\]/m);
    assert.match(pair, /^- via access_control — read\n  The DAG's access_control \(\[dags\/finance_ledger\.py:13\]\(file:.*#L13\)\) lists `finance_auditor`/m);
    assert.match(pair.trimEnd().split('\n').slice(-2).join('\n'), /^- role-wide: base role `Viewer` — runs: read, menu_access\n  Role `finance_auditor` is created from base role `Viewer`/, 'per-DAG reasons first, then role-wide ones');
    assert.doesNotMatch(pair, /DAG-wide: base role/, 'run permissions only: role-wide, as the tree and hover say');
    assert.match(r.markdown, /\n---\n\n\*\*DAG `finance_ledger`\*\*/, 'then the whole DAG');
  });
});

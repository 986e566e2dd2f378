/**
 * A second, non-VS Code editor: Neovim's built-in LSP client (tools/nvim-lsp-probe) runs
 * `airflow-access lsp --stdio` (node dist/cli.js lsp --stdio) on a copy of examples/ and must see
 * what a DAG author sees in VS Code: the warning for the mistyped tag with its quick fix, and the
 * role a tag grants on hover. (extensionHost.test.ts compares the two editors' answers verbatim.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, nvimSkip } from './lib/env';
import { lineColOf, runProbe, type ProbeResult } from './lib/nvim';
import { prepareWorkspace, type E2EWorkspace } from './lib/workspace';

const skip = nvimSkip();

describe('Neovim (built-in LSP client) with airflow-access lsp --stdio', { skip }, () => {
  let ws: E2EWorkspace;
  const outDir = path.join(artifactsDir, 'neovim');
  const save = (name: string, r: ProbeResult) => fs.writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(r, null, 2));

  before(() => {
    fs.mkdirSync(outDir, { recursive: true });
    ws = prepareWorkspace({ withDb: false });
  });
  after(() => ws?.cleanup());

  test('diagnostics: the mistyped tag is a warning, with a quick fix to marketing_analyst_edit', async () => {
    const file = path.join(ws.folder, 'dags', 'marketing_leads.py');
    const at = lineColOf(file, 'marketing_analyst_edt', 3);
    const r = await runProbe({ root: ws.folder, file, line: at.line, column: at.column, expectDiagnostics: true, codeActions: true });
    save('marketing_leads', r);
    assert.ok(r.ok, `probe failed: ${r.error}\n${r.stderr}`);
    const d = r.diagnostics.find((x) => x.message.includes('marketing_analyst_edt'));
    assert.ok(d, `no diagnostic mentions marketing_analyst_edt: ${JSON.stringify(r.diagnostics.map((x) => x.message))}`);
    assert.equal(d.severity, 'Warning');
    assert.equal(d.line, at.line);
    assert.ok(d.column <= at.column - 3 + 1 && d.range.end.character >= at.column - 3 + 'marketing_analyst_edt'.length - 1,
      `range ${JSON.stringify(d.range)} does not cover the tag at column ${at.column - 3}`);
    const titles = (r.codeActions ?? []).map((a) => a.title);
    assert.ok(titles.some((t) => t.includes('marketing_analyst_edit')), `no code action offers marketing_analyst_edit: ${JSON.stringify(titles)}`);
    const fix = (r.codeActions ?? []).find((a) => a.title.includes('marketing_analyst_edit'))!;
    assert.match(JSON.stringify(fix.edit ?? fix.command ?? {}), /marketing_analyst_edit/, 'the quick fix carries no edit replacing the tag');
  });

  test('hover: analytics_reporting_edit grants role analytics_reporting with can_read, can_edit, can_delete', async () => {
    const file = path.join(ws.folder, 'dags', 'analytics_reporting.py');
    const at = lineColOf(file, 'analytics_reporting_edit', 4);
    const r = await runProbe({ root: ws.folder, file, line: at.line, column: at.column });
    save('analytics_reporting', r);
    assert.ok(r.ok, `probe failed: ${r.error}\n${r.stderr}`);
    const text = r.hover?.text ?? '';
    assert.match(text, /analytics_reporting(?!_edit)/, `hover does not name the role:\n${text}`);
    for (const p of ['can_read', 'can_edit', 'can_delete']) assert.ok(text.includes(p), `hover lacks ${p}:\n${text}`);
  });

  test('hover on a dag_id: each role and each of its reasons on a line of its own, no HTML in the float', async () => {
    const file = path.join(ws.folder, 'dags', 'analytics_reporting.py');
    const at = lineColOf(file, '"analytics_reporting_dag"', 3);
    const r = await runProbe({ root: ws.folder, file, line: at.line, column: at.column });
    save('analytics_reporting_dag_id', r);
    assert.ok(r.ok, `probe failed: ${r.error}\n${r.stderr}`);
    const lines = (r.hover?.rendered ?? []).map((l) => l.trim());
    fs.writeFileSync(path.join(outDir, 'dag_id-hover-float.txt'), lines.join('\n'));
    const role = lines.findIndex((l) => /^\**analytics_reporting\** — read, edit, delete/.test(l));
    const tag = lines.findIndex((l) => /^- via tag `?analytics_reporting_edit`? \(\[airflow-access\.yaml:\d+\]/.test(l));
    const defaults = lines.findIndex((l) => l.startsWith('Default roles (DAG-wide, every DAG): '));
    assert.ok(role >= 0 && tag === role + 1 && defaults > tag, `the float does not show one line per role and reason:\n${lines.join('\n')}`);
    assert.doesNotMatch(lines.join('\n'), /<\/?[a-z][a-z0-9]*>/i, 'HTML in the float');
  });
});

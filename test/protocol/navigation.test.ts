/**
 * Navigation and decorations over the example workspace: references, document and workspace
 * symbols, the code lens, inlay hints and semantic tokens, as the editor receives them.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import type { CodeLens, DocumentSymbol, InlayHint, Location, SemanticTokens, SymbolInformation } from 'vscode-languageserver-protocol/node';
import { exampleWorkspace, fileUri, positionOf } from '../helpers/lspClient';

describe('navigation: references, symbols, code lens, inlay hints, semantic tokens', () => {
  const ws = exampleWorkspace();
  const { file, text } = ws;
  const where = (locs: Location[]) => locs.map((l) => `${path.relative(ws.root, new URL(l.uri).pathname)}:${l.range.start.line + 1}`).sort();
  const lineOf = (rel: string, needle: string) => positionOf(text(rel), needle).line + 1;

  test('references from a config tag list every DAG using it (the tag literal, also inside a shared constant)', async () => {
    const cfg = 'airflow-access.yaml';
    const pos = positionOf(text(cfg), 'analytics_reporting_edit', 3);
    const refs = await ws.client.request<Location[]>('textDocument/references', { textDocument: { uri: fileUri(file(cfg)) }, position: pos, context: { includeDeclaration: false } });
    assert.deepEqual(where(refs), [
      `dags/analytics_reporting.py:${lineOf('dags/analytics_reporting.py', '"analytics_reporting_edit"')}`,
      `dags/finance_ledger.py:${lineOf('dags/finance_ledger.py', '"analytics_reporting_edit"')}`,
    ]);
    const withDecl = await ws.client.request<Location[]>('textDocument/references', { textDocument: { uri: fileUri(file(cfg)) }, position: pos, context: { includeDeclaration: true } });
    assert.equal(withDecl.length, 3);
    assert.ok(where(withDecl).includes(`airflow-access.yaml:${pos.line + 1}`));
  });

  test('references from a config role include its tags in DAGs and access_control entries naming it', async () => {
    const cfg = 'airflow-access.yaml';
    const pos = positionOf(text(cfg), 'finance_auditor:', 2);
    const refs = await ws.client.request<Location[]>('textDocument/references', { textDocument: { uri: fileUri(file(cfg)) }, position: pos, context: { includeDeclaration: false } });
    const ledger = 'dags/finance_ledger.py';
    assert.deepEqual(where(refs), [`${ledger}:${lineOf(ledger, '"finance_auditor"')}`, `${ledger}:${lineOf(ledger, '"finance_read"')}`].sort());
  });

  test('document symbols: the DAG with its tags; assets in an asset module', async () => {
    const symbols = await ws.client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: fileUri(file('dags/analytics_reporting.py')) } });
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0].name, 'analytics_reporting_dag');
    assert.equal(symbols[0].detail, 'DAG');
    assert.deepEqual(symbols[0].children!.map((c) => c.name), ['reporting', 'analytics', 'analytics_reporting_edit']);
    const cfg = await ws.client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: fileUri(file('airflow-access.yaml')) } });
    assert.deepEqual(cfg.map((s) => s.name), ['analytics_reporting', 'marketing_analyst', 'finance_auditor']);
    assert.equal(cfg[2].detail, 'finance_read');
  });

  test('workspace symbols: every indexed dag_id, fuzzy-matched; ignored and excluded files are not indexed', async () => {
    const all = await ws.client.request<SymbolInformation[]>('workspace/symbol', { query: '' });
    assert.deepEqual(all.map((s) => s.name).sort(), ['analytics_reporting_dag', 'finance_ledger', 'marketing_analyst_dag', 'platform_maintenance']);
    const some = await ws.client.request<SymbolInformation[]>('workspace/symbol', { query: 'mktdag' });
    assert.deepEqual(some.map((s) => s.name), ['marketing_analyst_dag']);
    assert.equal(some[0].location.uri, fileUri(file('dags/marketing_leads.py')));
    assert.equal(some[0].location.range.start.line, positionOf(text('dags/marketing_leads.py'), '"marketing_analyst_dag"').line);
  });

  test('code lens above each DAG counts the roles and runs the explain command with { uri, dagId }', async () => {
    const uri = fileUri(file('dags/analytics_reporting.py'));
    const lenses = await ws.client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.length, 1);
    // Admin, Op, User and analytics_reporting (by its tag) can edit; Viewer reads it too. The two other
    // config roles are created from base_role Viewer without its DAG-wide read: they do not.
    assert.equal(lenses[0].command!.title, '4 roles can edit · 5 can read');
    assert.equal(lenses[0].command!.command, 'airflowDagAccess.explainDag');
    assert.deepEqual(lenses[0].command!.arguments, [{ uri, dagId: 'analytics_reporting_dag' }]);
    assert.equal(lenses[0].range.start.line, positionOf(text('dags/analytics_reporting.py'), 'with DAG(').line);
    // finance_ledger: access_control is authoritative and reverts the analytics_reporting tag grant.
    const ledger = await ws.client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: fileUri(file('dags/finance_ledger.py')) } });
    // Readers: the four default roles and finance_auditor (tag and access_control).
    assert.equal(ledger[0].command!.title, '3 roles can edit · 5 can read');
  });

  test('the code lens argument opens the explanation through the explain request', async () => {
    const uri = fileUri(file('dags/analytics_reporting.py'));
    const [lens] = await ws.client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const r = await ws.client.request<{ dagId: string; markdown: string }>('airflowDagAccess/explain', lens.command!.arguments![0]);
    assert.equal(r.dagId, 'analytics_reporting_dag');
    assert.match(r.markdown, /^\*\*DAG `analytics_reporting_dag`\*\* — 4 role\(s\) can edit · 5 can read$/m);
    // One line per role, then why as a short list with links to the lines that grant it; no HTML.
    assert.match(r.markdown, /^\*\*analytics_reporting\*\* — read, edit, delete · runs: read, menu_access\n- via tag `analytics_reporting_edit` \(\[airflow-access\.yaml:12\]\[1\]\) — read, edit, delete\n- role-wide: base role `Viewer` \(\[airflow-access\.yaml:11\]\[2\]\) — runs: read, menu_access$/m);
    assert.match(r.markdown, /^Default roles \(DAG-wide, every DAG\): Admin, Op, User: read, edit, delete \(runs: [a-z_, ]+\) · Viewer: read \(runs: read, menu_access\)$/m);
    assert.match(r.markdown, /\n\[1\]: file:\/\/\/\S+\/airflow-access\.yaml#L12\n\[2\]: file:\/\/\/\S+\/airflow-access\.yaml#L11$/);
    assert.doesNotMatch(r.markdown, /<\/?[a-z][^>]*>/i, 'no HTML tags');
    assert.doesNotMatch(r.markdown, /^\*\*(marketing_analyst|finance_auditor)\*\*/m, 'roles from Viewer do not read DAGs their tags do not grant');
  });

  test('inlay hints after each mapped tag name the role it grants, and only those', async () => {
    const rel = 'dags/analytics_reporting.py';
    const hints = await ws.client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri: fileUri(file(rel)) },
      range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
    });
    assert.equal(hints.length, 1);
    assert.equal(hints[0].label, '→ analytics_reporting');
    assert.deepEqual(hints[0].position, positionOf(text(rel), '"analytics_reporting_edit"', '"analytics_reporting_edit"'.length));
    assert.match(String(hints[0].tooltip), /analytics_reporting: can_read, can_edit, can_delete/);
    const outside = await ws.client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: fileUri(file(rel)) }, range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } } });
    assert.equal(outside.length, 0);
  });

  test('semantic tokens mark mapped tags (enumMember) and unmapped permission-like tags (string, deprecated)', async () => {
    const legend = ws.client.initializeResult.capabilities.semanticTokensProvider!.legend;
    const decode = (t: SemanticTokens, source: string) => {
      const lines = source.split('\n');
      const out: { text: string; type: string; mods: string[] }[] = [];
      let line = 0;
      let char = 0;
      for (let i = 0; i < t.data.length; i += 5) {
        line += t.data[i];
        char = t.data[i] === 0 ? char + t.data[i + 1] : t.data[i + 1];
        const mods = legend.tokenModifiers.filter((_, bit) => t.data[i + 4] & (1 << bit));
        out.push({ text: lines[line].slice(char, char + t.data[i + 2]), type: legend.tokenTypes[t.data[i + 3]], mods });
      }
      return out;
    };
    const marketing = await ws.client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: fileUri(file('dags/marketing_leads.py')) } });
    assert.deepEqual(decode(marketing, text('dags/marketing_leads.py')), [{ text: '"marketing_analyst_edt"', type: 'string', mods: ['deprecated'] }]);
    const reporting = await ws.client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: fileUri(file('dags/analytics_reporting.py')) } });
    assert.deepEqual(decode(reporting, text('dags/analytics_reporting.py')), [{ text: '"analytics_reporting_edit"', type: 'enumMember', mods: [] }]);
  });
});

/**
 * Hover on assets and config entries, and completion of roles, actions, teams and config values,
 * over the example workspaces (the multi-team one for assets and teams).
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { CompletionList, Hover, TextEdit } from 'vscode-languageserver-protocol/node';
import { copyExamples, fileUri, LspClient, positionOf, exampleWorkspace } from '../helpers/lspClient';

const hoverText = (h: Hover | null) => (h ? (h.contents as { value: string }).value : '');
const labels = (l: CompletionList | null) => (l?.items ?? []).map((i) => i.label).sort();

describe('hover and completion, multi-team workspace (assets, teams)', () => {
  let root: string;
  let client: LspClient;
  const file = (rel: string) => path.join(root, rel);
  const text = (rel: string) => fs.readFileSync(file(rel), 'utf8');

  before(async () => {
    root = copyExamples('multi-team');
    client = await LspClient.start({ folders: [root] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('hover on an asset in a schedule: who may trigger its consumers, producers and consumers with teams and links', async () => {
    const rel = 'dags/ml/train_model.py';
    const uri = await client.open(file(rel));
    const h = hoverText(await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text(rel), 'schedule=[daily_sales]', 'schedule=['.length + 2) }));
    assert.match(h, /\*\*Asset `daily_sales`\*\*/);
    // allow_global=False: team-less DAGs may not trigger it.
    assert.match(h, /May trigger its consumers: its consumers' own team, `team_analytics`\n/);
    assert.match(h, /Producers: \[produce_sales\.export\]\(file:\/\/[^)]*produce_sales\.py#L\d+\) \(team_analytics\)/);
    assert.match(h, /Consumers: \[train_model\]\(file:\/\/[^)]*train_model\.py#L7\) \(team_ml\)/);
  });

  test('hover on an Asset definition with the deprecated allow_producer_teams', async () => {
    const rel = 'dags/shared/assets.py';
    const h = hoverText(await client.request<Hover>('textDocument/hover', { textDocument: { uri: fileUri(file(rel)) }, position: positionOf(text(rel), 'features = Asset', 2) }));
    assert.match(h, /\*\*Asset `features`\*\*/);
    assert.match(h, /May trigger its consumers: its consumers' own team, `team_analytics`, team-less DAGs/);
    assert.match(h, /Consumers: \[score_features\]/);
    assert.match(h, /Producers: .*produce_sales\.export.*train_model\.train/);
  });

  test('completion inside producer_teams offers the config teams', async () => {
    const rel = 'dags/shared/assets.py';
    const uri = await client.open(file(rel));
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: positionOf(text(rel), 'producer_teams=["team_analytics"]', 'producer_teams=["'.length) });
    assert.deepEqual(labels(list), ['team_analytics', 'team_ml']);
    const item = list.items.find((i) => i.label === 'team_ml')!;
    assert.match(item.detail!, /dags\/ml\/\*\*/);
    // Inside the quotes the item replaces the word typed so far.
    assert.equal((item.textEdit as { newText: string }).newText, 'team_ml');
  });
});

describe('hover and completion, example workspace (config roles and tags, access_control)', () => {
  const ws = exampleWorkspace();
  const { file, text } = ws;
  const cfg = 'airflow-access.yaml';

  test('hover on a config role lists every DAG it reaches, with links', async () => {
    const uri = fileUri(file(cfg));
    const h = hoverText(await ws.client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text(cfg), 'analytics_reporting:', 1) }));
    assert.match(h, /\*\*Role `analytics_reporting`\*\* — can_read, can_edit, can_delete/);
    assert.match(h, /Reaches 2 DAG\(s\):\n- \[analytics_reporting_dag\]\(file:[^)]*analytics_reporting\.py#L7\)\n- \[finance_ledger\]\(file:[^)]*finance_ledger\.py#L\d+\)/);
    const none = hoverText(await ws.client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text(cfg), 'marketing_analyst:', 1) }));
    // marketing_leads.py has a typo of the tag; the scratch DAG is ignored by .airflowignore.
    assert.match(none, /Reaches no DAG in this workspace\./);
    assert.match(none, /DAG Runs: can_read, can_create/);
  });

  test('hover on a config tag names the roles it grants and the DAGs using it', async () => {
    const h = hoverText(await ws.client.request<Hover>('textDocument/hover', { textDocument: { uri: fileUri(file(cfg)) }, position: positionOf(text(cfg), 'finance_read', 2) }));
    assert.match(h, /\*\*Tag `finance_read`\*\* grants:/);
    assert.match(h, /- role `finance_auditor`: can_read — \[airflow-access\.yaml:\d+\]/);
    assert.match(h, /Used by 1 DAG\(s\): \[finance_ledger\]/);
  });

  test('the dag_id hover: one line per role, reasons as a list, default roles on one line; no hover holds HTML', async () => {
    const rel = 'dags/finance_ledger.py';
    const uri = await ws.client.open(file(rel));
    const h = hoverText(await ws.client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text(rel), 'def finance_ledger', 'def '.length + 1) }));
    assert.match(h, /^\*\*finance_auditor\*\* — read · runs: read, menu_access\n- via tag `finance_read` \(\[airflow-access\.yaml:\d+\]\[\d\]\) — read\n- via access_control \(\[dags\/finance_ledger\.py:\d+\]\[\d\]\) — read\n- role-wide: base role `Viewer` .* — runs: read, menu_access$/m);
    assert.match(h, /^\*\*analytics_reporting\*\* — nothing \(every grant is reverted\)\n- via tag `analytics_reporting_edit` .* — \*reverted by access_control\*$/m);
    assert.equal(h.split('\n').filter((l) => l.startsWith('Default roles (DAG-wide, every DAG): Admin, Op, User: ')).length, 1);
    // Every hover of the workspace: at each word of every DAG file and of the config, no HTML tag
    // (VS Code strips what it does not allow and Neovim shows it as text).
    let n = 0;
    for (const r of ['dags/analytics_reporting.py', 'dags/finance_ledger.py', 'dags/marketing_leads.py', 'dags/platform_maintenance.py', cfg]) {
      const u = await ws.client.open(file(r));
      const lines = text(r).split('\n');
      for (let line = 0; line < lines.length; line++) {
        for (const m of lines[line].matchAll(/[A-Za-z_][\w.]*/g)) {
          const v = hoverText(await ws.client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: { line, character: m.index! } }));
          if (!v) continue;
          n++;
          assert.doesNotMatch(v, /<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i, `HTML in the hover at ${r}:${line + 1}:${m.index! + 1}:\n${v}`);
        }
      }
    }
    assert.ok(n > 20, `only ${n} hovers`);
  });

  test('completion of roles and actions inside access_control', async () => {
    const rel = 'dags/finance_ledger.py';
    const uri = await ws.client.open(file(rel));
    const roles = await ws.client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: positionOf(text(rel), '{"finance_auditor"', 2) });
    for (const r of ['analytics_reporting', 'marketing_analyst', 'finance_auditor', 'Admin', 'Op', 'User', 'Viewer']) assert.ok(labels(roles).includes(r), `${r} in ${labels(roles)}`);
    assert.equal(roles.items.find((i) => i.label === 'Viewer')!.detail, 'Airflow default role');
    assert.match(roles.items.find((i) => i.label === 'finance_auditor')!.detail!, /config role: can_read/);
    const actions = await ws.client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: positionOf(text(rel), '{"can_read"}', 2) });
    for (const a of ['can_read', 'can_edit', 'can_delete', 'DAGs', 'DAG Runs']) assert.ok(labels(actions).includes(a), `${a} in ${labels(actions)}`);
    assert.ok(!labels(actions).includes('Viewer'));
  });

  test('completion inside access_control follows the form: flat actions, resource keys, DAG Runs actions; tags constants complete too', async () => {
    const rel = 'dags/probe_completion.py';
    fs.writeFileSync(file(rel), 'from airflow import DAG\n');
    const uri = await ws.client.open(file(rel));
    let version = 1;
    const at = async (code: string): Promise<string[]> => {
      const src = `from airflow import DAG\n\n${code.replace('|', '')}\n`;
      await ws.client.change(uri, ++version, src);
      const lines = `from airflow import DAG\n\n${code}`.split('\n');
      const line = lines.findIndex((l) => l.includes('|'));
      return labels(await ws.client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line, character: lines[line]!.indexOf('|') } }));
    };
    assert.deepEqual(await at('with DAG("p", access_control={"finance_auditor": {"can_read", "|"}}) as d:\n    pass'), ['can_delete', 'can_edit', 'can_read']);
    assert.deepEqual(await at('with DAG("p", access_control={"finance_auditor": {"DAG Runs": {"|"}}}) as d:\n    pass'), ['can_create', 'can_delete', 'can_read', 'menu_access']);
    assert.deepEqual(await at('with DAG("p", access_control={"finance_auditor": {"DAGs": {"can_read"}, "|"}}) as d:\n    pass'), ['DAG Runs', 'DAGs']);
    assert.ok((await at('with DAG("p", access_control={"|": {"can_read"}}) as d:\n    pass')).includes('finance_auditor'));
    assert.ok((await at('TEAM_TAGS = ["fin|')).includes('finance_read'));
    fs.rmSync(file(rel));
  });

  test('each completion edits at its own position: no range carried over from an earlier request', async () => {
    const rel = 'dags/probe_completion_range.py';
    fs.writeFileSync(file(rel), 'from airflow import DAG\n');
    const uri = await ws.client.open(file(rel));
    let version = 1;
    const complete = async (code: string): Promise<{ list: CompletionList; line: number; character: number }> => {
      await ws.client.change(uri, ++version, `from airflow import DAG\n\n${code.replace('|', '')}\n`);
      const lines = `from airflow import DAG\n\n${code}`.split('\n');
      const line = lines.findIndex((l) => l.includes('|'));
      const character = lines[line]!.indexOf('|');
      return { list: await ws.client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line, character } }), line, character };
    };
    const runs = (l: CompletionList) => l.items.find((i) => i.label === 'DAG Runs')!;
    // In a string: the edit replaces what is typed of it ("DA").
    const first = await complete('with DAG("p", access_control={"finance_auditor": {"DAGs": {"can_read"}, "DA|"}}) as d:\n    pass');
    assert.deepEqual((runs(first.list).textEdit as TextEdit).range, { start: { line: first.line, character: first.character - 2 }, end: { line: first.line, character: first.character } });
    // Outside a string, further right: the quoted label is inserted at the cursor, with no edit range.
    const second = await complete('with DAG("p", access_control={"finance_auditor": {"DAGs": {"can_read", "can_edit"}, |}}) as d:\n    pass');
    assert.equal(runs(second.list).textEdit, undefined, JSON.stringify(runs(second.list)));
    assert.equal(runs(second.list).insertText, '"DAG Runs"');
    // In a string again, on another line: its own range, and nothing inserted besides the edit.
    const third = await complete('x = 1\nwith DAG("p", access_control={"finance_auditor": {"DAGs": {"can_read"}, "|"}}) as d:\n    pass');
    assert.deepEqual((runs(third.list).textEdit as TextEdit).range, { start: { line: third.line, character: third.character }, end: { line: third.line, character: third.character } });
    assert.equal(runs(third.list).insertText, undefined);
    fs.rmSync(file(rel));
  });

  test('hover on a tags constant in tags= shows every tag it brings', async () => {
    const rel = 'dags/finance_ledger.py';
    const uri = await ws.client.open(file(rel));
    const h = hoverText(await ws.client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text(rel), 'tags=LEDGER_TAGS', 'tags='.length + 2) }));
    assert.match(h, /\*\*Tag `finance_read`\*\* grants:/);
    assert.match(h, /\*\*Tag `analytics_reporting_edit`\*\* grants:/);
    assert.match(h, /\*\*Tag `finance`\*\* grants no role/);
  });

  test('hover on a resource key of the nested access_control form says what its actions apply to', async () => {
    const rel = 'dags/probe_nested.py';
    const src = 'from airflow import DAG\n\nwith DAG("nested", access_control={"finance_auditor": {"DAGs": {"can_read"}, "DAG Runs": {"can_create"}}}) as d:\n    pass\n';
    fs.writeFileSync(file(rel), src);
    const uri = await ws.client.open(file(rel));
    const h = hoverText(await ws.client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(src, '"DAG Runs"', 3) }));
    assert.match(h, /\*\*`DAG Runs`\*\* for role `finance_auditor` — `DAG Run:<dag_id>`: can_read, can_create, can_delete and menu_access on its runs/);
    fs.rmSync(file(rel));
  });

  test('completion in the YAML config: permission names, DAG Run permissions and tags', async () => {
    const uri = await ws.client.open(file(cfg));
    const src = text(cfg);
    const perms = await ws.client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: positionOf(src, 'dag_permissions: [', 'dag_permissions: ['.length) });
    assert.deepEqual(labels(perms), ['can_delete', 'can_edit', 'can_read']);
    const runs = await ws.client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: positionOf(src, 'dag_run_permissions: [', 'dag_run_permissions: ['.length) });
    assert.deepEqual(labels(runs), ['can_create', 'can_delete', 'can_read', 'menu_access']);
    const tags = await ws.client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: positionOf(src, 'tags: [', 'tags: ['.length) });
    assert.ok(labels(tags).includes('finance_read'));
    // In YAML the label is inserted as is (no Python quotes).
    assert.equal(tags.items[0].insertText, undefined);
  });
});

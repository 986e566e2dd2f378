import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits } from '../../helpers/lspClient';
import { dag, findings } from './helpers';
import { memFindings } from './memoryContext';

test('ADA001: a typo of a mapped tag is reported with did-you-mean and a preferred replace fix', async () => {
  const [f] = await memFindings({ 'dags/d.py': dag('"d", tags=["x", "sales_edt"]') }, 'dags/d.py', 'ADA001');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /Tag 'sales_edt' .*Did you mean 'sales_edit'\?/);
  assert.deepEqual(f.range, { start: { line: 1, character: 25 }, end: { line: 1, character: 36 } });
  const fix = f.fixes!.find((x) => x.isPreferred)!;
  assert.equal(fix.edits[0].newText, 'sales_edit');
  assert.deepEqual(fix.edits[0].range, { start: { line: 1, character: 26 }, end: { line: 1, character: 35 } });
  assert.ok(f.fixes!.some((x) => x.title === "Remove tag 'sales_edt'"));
  assert.ok(f.fixes!.some((x) => /Add 'sales_edt' to airflow-access\.yaml as role 'sales_2'|as role/.test(x.title)));
});

test('ADA001: a tag matching the pattern but far from any mapped tag has no replace fix; plain tags are ignored', async () => {
  const out = await memFindings({ 'dags/d.py': dag('"d", tags=["marketing", "hr_read"]') }, 'dags/d.py', 'ADA001');
  assert.equal(out.length, 1);
  assert.match(out[0].message, /'hr_read'/);
  assert.ok(!out[0].fixes!.some((x) => x.isPreferred));
});

test('ADA001: a near miss of permission_tag_pattern (finance_edti) is a likely typo, with the fix to the tag as meant', async () => {
  const out = await memFindings({ 'dags/d.py': dag('"d", tags=["finance_edti", "finance_raed", "credit"]') }, 'dags/d.py', 'ADA001');
  assert.deepEqual(out.map((f) => f.message.match(/Tag '([^']+)'/)![1]), ['finance_edti', 'finance_raed']);
  assert.match(out[0].message, /near miss of permission_tag_pattern '_\(read\|edit\)\$': did you mean 'finance_edit'\?/);
  const fix = out[0].fixes!.find((x) => x.isPreferred)!;
  assert.equal(fix.title, "Replace with 'finance_edit' (matches permission_tag_pattern)");
  assert.equal(fix.edits[0].newText, 'finance_edit');
  assert.equal(out[1].fixes!.find((x) => x.isPreferred)!.edits[0].newText, 'finance_read');
});

test('ADA002 / ADA003: long and duplicate tags', async () => {
  const long = 'a'.repeat(101);
  const out = await memFindings({ 'dags/d.py': dag(`"d", tags=["${long}", "sales_edit", "sales_edit"]`) });
  assert.equal(out.filter((f) => f.code === 'ADA002').length, 1);
  const dup = out.find((f) => f.code === 'ADA003')!;
  assert.match(dup.message, /listed twice/);
});

test('ADA004 / ADA005 / ADA006: access_control roles and actions', async () => {
  const out = await memFindings({ 'dags/d.py': dag('"d", access_control={"sales": {"can_dag_read"}, "salez": {"can_read"}, "audit": {"can_create"}}') });
  const codes = out.map((f) => f.code);
  assert.ok(codes.includes('ADA004'), JSON.stringify(out));
  assert.match(out.find((f) => f.code === 'ADA004')!.message, /'salez'.*Did you mean 'sales'\?/);
  assert.match(out.find((f) => f.code === 'ADA005')!.message, /'can_create' is not a valid action on DAGs/);
  const dep = out.find((f) => f.code === 'ADA006')!;
  assert.equal(dep.fixes![0].edits[0].newText, 'can_read');
});

test('ADA007: nested access_control before Airflow 2.10', async () => {
  const out = await memFindings({ 'dags/d.py': dag('"d", access_control={"sales": {"DAGs": {"can_read"}}}') }, 'dags/d.py', 'ADA007', { safeMode: false, airflowVersion: '2.9' });
  assert.equal(out.length, 1);
  const none = await memFindings({ 'dags/d.py': dag('"d", access_control={"sales": {"DAGs": {"can_read"}}}') }, 'dags/d.py', 'ADA007');
  assert.equal(none.length, 0);
});

test('ADA008: a tag grant reverted by access_control', async () => {
  const out = await memFindings({ 'dags/d.py': dag('"d", tags=["sales_edit"], access_control={"audit": {"can_read"}}') }, 'dags/d.py', 'ADA008');
  assert.equal(out.length, 1);
  assert.match(out[0].message, /Tag 'sales_edit' grants 'sales'.*revokes/);
});

test('ADA010: only default roles reach the DAG (info), with add-tag fixes', async () => {
  const [f] = await memFindings({ 'dags/d.py': dag('"d", tags=["platform"]') }, 'dags/d.py', 'ADA010');
  assert.equal(f.severity, 'info');
  assert.ok(f.fixes!.some((x) => x.title.startsWith("Add tag 'sales_edit'")));
  // A tag mapped only to a role the sync leaves alone (Viewer without manage_builtin) would grant nothing: not offered.
  const config = 'version: 1\nroles:\n  Viewer:\n    tags: [viewer_edit]\n    dag_permissions: [can_edit]\n  ops:\n    tags: [ops_read, viewer_edit]\n    dag_permissions: [can_read]\n';
  const [g] = await memFindings({ 'airflow-access.yaml': config, 'dags/d.py': dag('"d", tags=["platform"]') }, 'dags/d.py', 'ADA010');
  assert.deepEqual(g.fixes!.map((x) => x.title), ["Add tag 'viewer_edit' (grants ops can_read)", "Add tag 'ops_read' (grants ops can_read)"]);
});

test('ADA011: duplicate dag_id across files, with related information', async () => {
  const out = await memFindings({ 'dags/d.py': dag('"same"'), 'dags/e.py': dag('"same"') }, 'dags/d.py', 'ADA011');
  assert.equal(out.length, 1);
  assert.match(out[0].related![0].file, /e\.py$/);
});

test('ADA011: 2,000 copies of one dag_id in one file: one finding each, naming 3 other places and a count (linear output)', async () => {
  const n = 2000;
  const text = `from airflow import DAG\n${Array.from({ length: n }, (_, i) => `d${i} = DAG(dag_id="repeated")\n`).join('')}`;
  const out = await memFindings({ 'dags/d.py': text }, 'dags/d.py', 'ADA011');
  assert.equal(out.length, n);
  assert.equal(out.reduce((k, f) => k + f.related!.length, 0), 3 * n, 'each finding names 3 other places, not 1,999');
  assert.equal(out[0].message, "dag_id 'repeated' is also defined in 1999 other places (d.py:3, d.py:4, d.py:5, and 1996 more); Airflow keeps only one of them.");
  // Another copy than the first: the places named skip the finding's own line.
  const third = out.find((f) => f.range.start.line === 3)!;
  assert.equal(third.message, "dag_id 'repeated' is also defined in 1999 other places (d.py:2, d.py:3, d.py:5, and 1996 more); Airflow keeps only one of them.");
  assert.deepEqual(third.related!.map((r) => r.range.start.line), [1, 2, 4]);
});

test('ADA025: a tag with a NUL character is an error at the tag', async () => {
  const out = await memFindings({ 'dags/d.py': dag('"d", tags=["sales_edit", "x\\x00y"]') }, 'dags/d.py', 'ADA025');
  assert.equal(out.length, 1);
  assert.equal(out[0].severity, 'error');
  assert.deepEqual(out[0].range.start, { line: 1, character: 34 });
  assert.match(out[0].message, /^Tag "x\\u0000y" contains a NUL character/);
});

test('ADA012: invalid dag_id; Unicode letters are fine like Python \\w', async () => {
  const bad = await memFindings({ 'dags/d.py': dag('"bad id!"') }, 'dags/d.py', 'ADA012');
  assert.equal(bad.length, 1);
  const ok = await memFindings({ 'dags/d.py': dag('"données_été"') }, 'dags/d.py', 'ADA012');
  assert.equal(ok.length, 0);
  const long = await memFindings({ 'dags/d.py': dag(`"${'x'.repeat(251)}"`) }, 'dags/d.py', 'ADA012');
  assert.match(long[0].message, /251 characters/);
});

test('ADA014: tags in default_args; ADA099: syntax errors are errors', async () => {
  const out = await memFindings({ 'dags/d.py': 'from airflow import DAG\nwith DAG("d", default_args={"tags": ["sales_edit"]}) as dag:\n    pass\n' }, 'dags/d.py', 'ADA014');
  assert.equal(out.length, 1);
  const syn = await memFindings({ 'dags/d.py': 'from airflow import DAG\nwith DAG("d" tags=[) as dag:\n' }, 'dags/d.py', 'ADA099');
  assert.ok(syn.length >= 1);
  assert.equal(syn[0].severity, 'error');
});

test('severity settings override and turn codes off', async () => {
  const files = { 'dags/d.py': dag('"d", tags=["sales_edt"]') };
  const err = await memFindings(files, 'dags/d.py', 'ADA001', { safeMode: false, diagnostics: { severity: { ADA001: 'error' } } });
  assert.equal(err[0].severity, 'error');
  const off = await memFindings(files, 'dags/d.py', 'ADA001', { safeMode: false, diagnostics: { severity: { ADA001: 'off' } } });
  assert.equal(off.length, 0);
});

test('ADA098: a file the indexer skipped (over 2 MB) says so; a file Airflow\'s safe mode skips does not', async () => {
  const big = `from airflow import DAG\nwith DAG("big", tags=["sales_edt"]) as dag:\n    pass\nX = "${'x'.repeat(2 * 1024 * 1024)}"\n`;
  const [f] = await memFindings({ 'dags/big.py': big }, 'dags/big.py', 'ADA098');
  assert.equal(f?.severity, 'info');
  assert.match(f!.message, /did not analyse this file \(larger than 2 MB: not analysed\): its DAGs, tags and access are neither shown nor checked/);
  assert.deepEqual(f!.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  assert.deepEqual(await memFindings({ 'dags/util.py': 'def helper():\n    return 1\n' }, 'dags/util.py', 'ADA098'), []);
});

test('ADA013, not ADA010: tags that may come through **kwargs are unknown, not absent', async () => {
  const src = 'from airflow import DAG\nkw = load_kw()\nwith DAG("kw", **kw) as dag:\n    pass\n';
  const out = await memFindings({ 'dags/d.py': src });
  const dyn = out.find((f) => f.code === 'ADA013');
  assert.match(dyn?.message ?? '', /tags may be passed through `\*\*kw`, which is not known before the file runs \(`load_kw\(\.\.\.\)` is computed when the file runs\)/);
  assert.deepEqual(dyn!.range, { start: { line: 2, character: 15 }, end: { line: 2, character: 19 } });
  assert.ok(!out.some((f) => f.code === 'ADA010'), JSON.stringify(out.map((f) => f.code)));
  // Without a splat, a DAG with no tags is still one that no custom role reaches.
  const plain = await memFindings({ 'dags/d.py': 'from airflow import DAG\nwith DAG("kw", *args) as dag:\n    pass\n' });
  assert.ok(plain.some((f) => f.code === 'ADA010'));
  assert.ok(!plain.some((f) => f.code === 'ADA013'));
});

test('ADA019: a @dag function never called is never registered; the fix calls it; a call, or an importer elsewhere, silences it', async () => {
  // On disk: "an importer elsewhere" needs the index's module resolution (importersOf).
  const src = 'from airflow.decorators import dag\n\n@dag(dag_id="p", tags=["sales_edit"])\ndef pipeline():\n    pass\n';
  const [f] = await findings({ 'dags/d.py': src }, 'dags/d.py', 'ADA019');
  assert.equal(f?.severity, 'warning');
  assert.match(f!.message, /'pipeline' is decorated with @dag but never called, so Airflow never registers DAG 'p'\. Call it at module level: pipeline\(\)/);
  assert.deepEqual(f!.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 12 } });
  const fixed = applyEdits(src, f!.fixes![0]!.edits);
  assert.equal(fixed, `${src}\npipeline()\n`);
  assert.deepEqual(await findings({ 'dags/d.py': fixed }, 'dags/d.py', 'ADA019'), []);
  // Imported by another DAG file that may call it: not flagged.
  const shared = { 'dags/pipelines.py': src, 'dags/use.py': 'from pipelines import pipeline\n\npipeline()\n' };
  assert.deepEqual(await findings(shared, 'dags/pipelines.py', 'ADA019'), []);
});

test('ADA019: a @dag function defined and called inside a factory is registered when the factory runs; else the factory is named', async () => {
  const factory = 'from airflow.decorators import dag\n\ndef build():\n    @dag(dag_id="inner")\n    def inner():\n        pass\n    inner()\n';
  assert.deepEqual(await memFindings({ 'dags/d.py': `${factory}\nbuild()\n` }, 'dags/d.py', 'ADA019'), []);
  const [f] = await memFindings({ 'dags/d.py': factory }, 'dags/d.py', 'ADA019');
  assert.equal(f?.message, "'build' calls the @dag function 'inner', but 'build' itself is never called while the file is imported, so Airflow never registers DAG 'inner'. Call build(...) at module level.");
  assert.deepEqual(f!.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } });
});

test('ADA008 quick fix: add the role to access_control in the form and layout already used; then nothing is reverted', async () => {
  const cases: [string, string][] = [
    ['access_control={"audit": {"can_read"}}', 'access_control={"audit": {"can_read"}, "sales": {"can_read", "can_edit"}}'],
    [
      'access_control={\n        "audit": {"DAGs": {"can_read"}},\n    }',
      'access_control={\n        "audit": {"DAGs": {"can_read"}},\n        "sales": {"DAGs": {"can_read", "can_edit"}},\n    }',
    ],
  ];
  for (const [before, after] of cases) {
    const src = `from airflow import DAG\nwith DAG("d", tags=["sales_edit"], ${before}) as dag:\n    pass\n`;
    const [f] = await memFindings({ 'dags/d.py': src }, 'dags/d.py', 'ADA008');
    const fix = f?.fixes?.find((x) => x.title === "Add 'sales' to access_control");
    assert.ok(fix, JSON.stringify(f));
    const fixed = applyEdits(src, fix.edits);
    assert.equal(fixed, src.replace(before, after));
    assert.deepEqual(await memFindings({ 'dags/d.py': fixed }, 'dags/d.py', 'ADA008'), [], fixed);
  }
  // Already a key (with fewer actions): a second "sales" key would replace the first, so no fix.
  const [partial] = await memFindings({ 'dags/d.py': 'from airflow import DAG\nwith DAG("d", tags=["sales_edit"], access_control={"sales": {"can_read"}}) as dag:\n    pass\n' }, 'dags/d.py', 'ADA008');
  assert.ok(partial && !(partial.fixes ?? []).length);
});

test('ADA001 on two strings joined by a missing comma says so', async () => {
  const [f] = await memFindings({ 'dags/d.py': dag('"d", tags=["sales_edit" "audit_read"]') }, 'dags/d.py', 'ADA001');
  assert.match(f?.message ?? '', /Tag 'sales_editaudit_read' .*Two strings with no comma between them are joined into one tag by Python: a comma is missing\?/);
  const [typo] = await memFindings({ 'dags/d.py': dag('"d", tags=["sales_edt"]') }, 'dags/d.py', 'ADA001');
  assert.doesNotMatch(typo!.message, /comma/);
});

test('ADA001 with a `role` group in permission_tag_pattern: a tag naming a config role is mapped; one naming no role is not, and the fix adds that role', async () => {
  const config = `version: 1\npermission_tag_pattern: '^(?P<role>\\w+?)_(read|edit)$'\nroles:\n  finance:\n    tags: []\n    dag_permissions: [can_read]\n`;
  const out = await memFindings({ 'airflow-access.yaml': config, 'dags/d.py': dag('"d", tags=["finance_read", "nobody_edit"]') }, 'dags/d.py', 'ADA001');
  assert.deepEqual(out.map((f) => f.message.match(/Tag '(\w+)'/)?.[1]), ['nobody_edit']);
  const add = out[0].fixes!.find((x) => x.title.startsWith('Add '));
  assert.equal(add?.title, "Add 'nobody_edit' to airflow-access.yaml as role 'nobody'");
  // The README's pattern has no `role` group: finance_read is an access-looking tag no role maps.
  const readme = await memFindings({ 'airflow-access.yaml': config.replace("'^(?P<role>\\w+?)_(read|edit)$'", '"_(read|edit)$"'), 'dags/d.py': dag('"d", tags=["finance_read"]') }, 'dags/d.py', 'ADA001');
  assert.equal(readme.length, 1);
});

test('ADA013 on a dag-factory file: the generate_dags / load_yaml_dags call, with its YAML; no ADA010', async () => {
  const src = [
    'from airflow import DAG',
    'from dagfactory import DagFactory, load_yaml_dags',
    'DagFactory("configs/sales.yml").generate_dags(globals())',
    'load_yaml_dags(globals_dict=globals(), dags_folder="configs/teams")',
  ].join('\n');
  const out = await memFindings({ 'dags/d.py': src });
  const dyn = out.filter((f) => f.code === 'ADA013');
  assert.deepEqual(dyn.map((f) => f.range.start), [{ line: 2, character: 0 }, { line: 3, character: 0 }]);
  assert.match(dyn[0]!.message, /^The dag_id is computed at run time \(dag-factory's DagFactory\(\.\.\.\)\.generate_dags\(\.\.\.\) builds DAGs from the YAML file 'configs\/sales\.yml' when the file runs\)/);
  assert.match(dyn[1]!.message, /load_yaml_dags\(\.\.\.\) builds DAGs from every \.yaml \/ \.yml file under 'configs\/teams'/);
  assert.ok(!out.some((f) => ['ADA010', 'ADA012', 'ADA019'].includes(f.code)), JSON.stringify(out.map((f) => f.code)));
});

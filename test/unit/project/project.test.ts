/**
 * Project: the per-file lookup table stays in step with the index, an edit touches only the edited
 * file (no walk over the workspace), and the discovery globs come from settings, config and nesting.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createDemoDatabase } from '../../../server/src/sync/demo';
import { Project } from '../../../server/src/project/project';
import { roleMarkdown, tagMarkdown } from '../../../server/src/project/describe';
import { parseSettings } from '../../../server/src/settings';
import { runRules } from '../../../server/src/rules';

const CONFIG = 'version: 1\npermission_tag_pattern: "_(read|edit)$"\nroles:\n  sales:\n    tags: [sales_edit]\n    dag_permissions: [can_read, can_edit]\n';
const dagFile = (id: string, tags: string[]) => `from airflow import DAG\nwith DAG("${id}", tags=${JSON.stringify(tags)}) as dag:\n    pass\n`;

async function open(files: Record<string, string>, opts: { nestedRoots?: string[]; openDocuments?: () => { file: string; text: string; version: number }[] } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-project-'));
  for (const [rel, text] of Object.entries({ 'airflow-access.yaml': CONFIG, ...files })) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const project = await Project.open(root, parseSettings({ safeMode: false }).settings, { nestedRoots: opts.nestedRoots?.map((r) => path.join(root, r)), openDocuments: opts.openDocuments });
  return { root, project, file: (rel: string) => path.join(root, rel), done: async () => (await project.dispose(), fs.rmSync(root, { recursive: true, force: true })) };
}

test('the table follows edits and deletions of single files', async () => {
  const ws = await open({ 'dags/a.py': dagFile('a', ['sales_edit']), 'dags/b.py': dagFile('b', ['etl']) });
  try {
    const t = ws.project.table;
    assert.equal(t.fileCount, 2);
    assert.equal(t.dagCount, 2);
    assert.deepEqual(t.dagsWithTag('sales_edit').map((d) => path.basename(d.file)), ['a.py']);
    await ws.project.index.updateText(ws.file('dags/b.py'), dagFile('a', ['sales_edit', 'etl']), 2);
    assert.deepEqual(t.dagsWithTag('sales_edit').map((d) => path.basename(d.file)).sort(), ['a.py', 'b.py']);
    assert.equal(t.dagsWithId('a').length, 2);
    assert.equal(t.dagsWithId('b').length, 0);
    ws.project.index.remove(ws.file('dags/a.py'));
    assert.equal(t.fileCount, 1);
    assert.deepEqual(t.dagsWithId('a').map((d) => path.basename(d.file)), ['b.py']);
    assert.deepEqual(ws.project.files().map((f) => path.basename(f.file)), ['b.py']);
  } finally {
    await ws.done();
  }
});

test('an edit, its diagnostics and a tag hover never list the whole workspace', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`dags/d${i}.py`] = dagFile(`d${i}`, i % 2 ? ['sales_edit'] : ['etl']);
  const ws = await open(files);
  try {
    const index = ws.project.index;
    let listings = 0;
    const files0 = index.files.bind(index);
    index.files = () => (listings++, files0());
    const target = ws.file('dags/d7.py');
    await index.updateText(target, dagFile('d8', ['sales_edt']), 2);
    const findings = runRules(ws.project, target);
    assert.ok(findings.some((f) => f.code === 'ADA001'));
    assert.ok(findings.some((f) => f.code === 'ADA011' && /also defined in d8\.py/.test(f.message)));
    assert.match(tagMarkdown(ws.project, 'sales_edit'), /Used by 99 DAG\(s\)/);
    assert.equal(listings, 0, 'no full listing of the index on the edit path');
  } finally {
    await ws.done();
  }
});

test("the config's dags.exclude and nested workspace folders are left out of the index", async () => {
  const config = `${CONFIG}dags:\n  exclude: ["legacy/**"]\n`;
  const ws = await open({ 'airflow-access.yaml': config, 'dags/a.py': dagFile('a', []), 'legacy/old.py': dagFile('old', []), 'team/dags/t.py': dagFile('t', []) }, { nestedRoots: ['team'] });
  try {
    assert.deepEqual(ws.project.allDags().map((d) => (d.dag.dagId.kind === 'static' ? d.dag.dagId.value : '?')), ['a']);
  } finally {
    await ws.done();
  }
});

test('changing dags.exclude in the config re-indexes, keeping the text of open documents', async () => {
  let ws: Awaited<ReturnType<typeof open>> | undefined;
  const unsaved = dagFile('a_unsaved', ['sales_edit']);
  ws = await open({ 'dags/a.py': dagFile('a', []), 'legacy/old.py': dagFile('old', []) }, { openDocuments: () => [{ file: ws!.file('dags/a.py'), text: unsaved, version: 5 }] });
  try {
    await ws.project.index.updateText(ws.file('dags/a.py'), unsaved, 5);
    const ids = () => ws!.project.allDags().map((d) => (d.dag.dagId.kind === 'static' ? d.dag.dagId.value : '?')).sort();
    assert.deepEqual(ids(), ['a_unsaved', 'old']);
    const settled = new Promise<void>((resolve) => {
      const off = ws!.project.onDidChange(() => {
        if (ids().join() === 'a_unsaved') (off(), resolve());
      });
    });
    ws.project.reloadConfig(`${CONFIG}dags:\n  exclude: ["legacy/**"]\n`);
    await settled;
    assert.deepEqual(ids(), ['a_unsaved']);
  } finally {
    await ws.done();
  }
});

test('drift and the DB role names are computed once per database read and config load', async () => {
  const ws = await open({ 'dags/a.py': dagFile('a', ['sales_edit']) });
  try {
    assert.equal(ws.project.db.drift(), null, 'no database');
    const dbFile = path.join(ws.root, '.airflow', 'airflow.db');
    await createDemoDatabase(dbFile, { dags: [{ dagId: 'a', tags: ['sales_edit'] }] });
    ws.project.updateSettings(parseSettings({ safeMode: false, database: { url: `sqlite:///${dbFile}` } }).settings);
    assert.equal(await ws.project.db.connect(null), 'connected', ws.project.db.message);
    const first = ws.project.db.drift();
    assert.ok(first && first.addGrants.some((g) => g.resource === 'DAG:a' && g.role === 'sales'));
    assert.equal(ws.project.db.drift(), first, 'cached');
    assert.equal(ws.project.db.roleNames(), ws.project.db.roleNames());
    ws.project.reloadConfig(CONFIG.replace('[can_read, can_edit]', '[can_read]'));
    const second = ws.project.db.drift();
    assert.notEqual(second, first, 'a new config, a new drift');
    assert.ok(!second!.addGrants.some((g) => g.action === 'can_edit' && g.resource === 'DAG:a'));
    await ws.project.db.refresh();
    assert.notEqual(ws.project.db.drift(), second, 'a new read of the database, a new drift');
    // Clearing the URL forgets the database roles.
    ws.project.updateSettings(parseSettings({ safeMode: false }).settings);
    await ws.project.db.connect(null);
    assert.equal(ws.project.db.roleNames(), null);
  } finally {
    await ws.done();
  }
});

test('a role reaching many DAGs lists the first 20 in its hover and tree tooltip, then how many more', async () => {
  const config = 'version: 1\nroles:\n  ops:\n    tags: [ops_read]\n    dag_permissions: [can_read]\n';
  const files: Record<string, string> = { 'airflow-access.yaml': config };
  for (let i = 0; i < 23; i++) files[`dags/d${String(i).padStart(2, '0')}.py`] = dagFile(`d${String(i).padStart(2, '0')}`, ['ops_read']);
  const ws = await open(files);
  try {
    const md = roleMarkdown(ws.project, ws.project.config!.roles[0]!);
    assert.match(md, /Reaches 23 DAG\(s\):\n- \[d00\]/);
    assert.equal(md.split('\n').filter((l) => l.startsWith('- [')).length, 20);
    assert.match(md, /\n- … and 3 more$/);
  } finally {
    await ws.done();
  }
});

test('tag and role hovers follow permission_tag_pattern: the role its `role` group names, and the DAGs that reach it', async () => {
  const config = "version: 1\npermission_tag_pattern: '^(?P<role>\\w+?)_(read|edit)$'\nroles:\n  ops:\n    tags: []\n    dag_permissions: [can_read]\n  Viewer:\n    tags: [viewer_edit]\n    dag_permissions: [can_edit]\n";
  const ws = await open({ 'airflow-access.yaml': config, 'dags/a.py': dagFile('a', ['ops_read', 'viewer_edit']), 'dags/b.py': dagFile('b', ['other_read']) });
  try {
    const md = tagMarkdown(ws.project, 'ops_read');
    assert.match(md, /role `ops` \(named by permission_tag_pattern\): can_read — \[airflow-access\.yaml:2\]/);
    assert.match(tagMarkdown(ws.project, 'other_read'), /grants no role/);
    assert.match(tagMarkdown(ws.project, 'viewer_edit'), /role `Viewer`: can_edit .*the sync leaves built-in roles alone without manage_builtin: true/);
    const role = ws.project.config!.roles.find((r) => r.name === 'ops')!;
    assert.match(roleMarkdown(ws.project, role), /Reaches 1 DAG\(s\):\n- \[a\]/);
  } finally {
    await ws.done();
  }
});

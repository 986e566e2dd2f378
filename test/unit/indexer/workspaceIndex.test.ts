import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { factsToJson } from '../../../server/src/indexer/json';
import { WorkspaceIndex } from '../../../server/src/indexer/workspaceIndex';
import { DagTable } from '../../../server/src/project/dagTable';
import type { DagFact } from '../../../server/src/model/facts';
import { examplesDir } from '../../helpers/paths';
import { DAG_FILE, makeWorkspace } from './tmpWorkspace';

const tagsOf = (index: WorkspaceIndex, file: string): string[] => index.getFile(file)!.dags.flatMap((d) => d.tags?.items.map((t) => t.value) ?? []);
/** The lookups the project builds over the index (project/dagTable.ts). */
const tableOf = (index: WorkspaceIndex): DagTable => {
  const t = new DagTable();
  t.reset(index.files());
  return t;
};
const idOf = (dag: DagFact): string => (dag.dagId.kind === 'static' ? dag.dagId.value : '?');
const dagIds = (index: WorkspaceIndex): string[] => index.files().flatMap((f) => f.dags.map(idOf)).sort();

test('updateText re-indexes only the edited file and reports it', async () => {
  const ws = makeWorkspace({ 'a.py': DAG_FILE('a'), 'b.py': DAG_FILE('b') });
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    await index.scan();
    const a = path.join(ws.root, 'a.py');
    const bBefore = index.getFile(path.join(ws.root, 'b.py'));
    const changes: string[][] = [];
    index.onDidChange((files) => changes.push(files));
    const facts = await index.updateText(a, 'from airflow import DAG\nwith DAG("renamed", tags=["t"]):\n    pass\n', 2);
    assert.equal(facts.version, 2);
    assert.deepEqual(dagIds(index), ['b', 'renamed']);
    assert.equal(index.getFile(path.join(ws.root, 'b.py')), bBefore);
    assert.deepEqual(changes, [[a]]);
  } finally {
    index.dispose();
    ws.cleanup();
  }
});

test('incremental re-parsing of an open document gives the same facts as a fresh parse', async () => {
  const ws = makeWorkspace({ 'x.py': DAG_FILE('x') });
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  const fresh = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    const file = path.join(ws.root, 'x.py');
    let text = 'from airflow import DAG\n# données 📊\nwith DAG("x", tags=["a"]):\n    pass\n';
    await index.updateText(file, text, 1);
    for (const [i, edit] of [['"a"', '"a", "équipe"'], ['DAG("x"', 'DAG("x2"'], ['# données 📊\n', '']].entries()) {
      text = text.replace(edit[0]!, edit[1]!);
      const inc = await index.updateText(file, text, i + 2);
      const ref = await fresh.updateText(file, text, i + 2);
      assert.deepEqual(inc, ref);
    }
    assert.deepEqual(tagsOf(index, file), ['a', 'équipe']);
  } finally {
    index.dispose();
    fresh.dispose();
    ws.cleanup();
  }
});

test('cross-file constants resolve, and are re-resolved when the imported module changes', async () => {
  const ws = makeWorkspace({
    'dags/common/tags.py': 'TEAM_TAGS = ["analytics_edit"]\n',
    'dags/report.py': DAG_FILE('report').replace('with DAG("report")', 'with DAG("report", tags=TEAM_TAGS)').replace('from airflow import DAG\n', 'from airflow import DAG\nfrom common.tags import TEAM_TAGS\n'),
  });
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    await index.scan();
    const report = path.join(ws.root, 'dags/report.py');
    const module = path.join(ws.root, 'dags/common/tags.py');
    assert.deepEqual(tagsOf(index, report), ['analytics_edit']);
    assert.equal(index.getFile(report)!.dags[0]!.tags!.items[0]!.via?.file, module);
    const changes: string[][] = [];
    index.onDidChange((f) => changes.push(f));
    ws.write('dags/common/tags.py', 'TEAM_TAGS = ["analytics_edit", "finance_read"]\n');
    await index.updateFromDisk(module);
    assert.deepEqual(tagsOf(index, report), ['analytics_edit', 'finance_read']);
    assert.ok(changes.flat().includes(report), 'the importing file is reported as changed');
    await index.updateText(module, 'OTHER = 1\n', 5);
    assert.deepEqual(tagsOf(index, report), []);
    assert.match(index.getFile(report)!.dags[0]!.tags!.dynamic[0]!.reason, /TEAM_TAGS/);
  } finally {
    index.dispose();
    ws.cleanup();
  }
});

test('the multi-team example links assets imported across files to producers and consumers', async () => {
  const index = new WorkspaceIndex({ root: path.join(examplesDir, 'multi-team'), workers: 0 });
  try {
    await index.scan();
    const t = tableOf(index);
    const ids = (list: { dag: DagFact }[]): string[] => [...new Set(list.map((x) => idOf(x.dag)))].sort();
    assert.deepEqual(ids(t.producersOf('features')), ['produce_sales', 'train_model']);
    assert.deepEqual(ids(t.consumersOf('features')), ['score_features']);
    assert.deepEqual(ids(t.consumersOf('daily_sales')), ['train_model']);
    assert.equal(t.assetsWithKey('daily_sales')[0]!.asset.accessControl?.allowGlobal?.value, false);
  } finally {
    index.dispose();
  }
});

test('the same dag_id in two files, tag lookup, deletion', async () => {
  const ws = makeWorkspace({ 'one.py': DAG_FILE('same'), 'two.py': DAG_FILE('same'), 'three.py': 'from airflow import DAG\nDAG("t", tags=["x_read"])\n' });
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    await index.scan();
    assert.deepEqual(tableOf(index).dagsWithId('same').map((e) => path.basename(e.file)).sort(), ['one.py', 'two.py']);
    assert.deepEqual(tableOf(index).dagsWithTag('x_read').map((e) => path.basename(e.file)), ['three.py']);
    fs.rmSync(path.join(ws.root, 'two.py'));
    index.remove(path.join(ws.root, 'two.py'));
    assert.deepEqual(tableOf(index).dagsWithId('same').map((e) => path.basename(e.file)), ['one.py']);
    assert.equal(index.getFile(path.join(ws.root, 'two.py')), undefined);
  } finally {
    index.dispose();
    ws.cleanup();
  }
});

test('warm start from the cache reads facts without parsing; changed files are re-parsed', async () => {
  const ws = makeWorkspace({ 'a.py': DAG_FILE('a'), 'b.py': DAG_FILE('b') });
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-cache-'));
  try {
    const cold = new WorkspaceIndex({ root: ws.root, cacheDir, workers: 0 });
    await cold.scan();
    assert.equal(cold.lastScan!.parsed, 2);
    cold.dispose();
    const warm = new WorkspaceIndex({ root: ws.root, cacheDir, workers: 0 });
    await warm.scan();
    assert.equal(warm.lastScan!.parsed, 0);
    assert.deepEqual(dagIds(warm), ['a', 'b']);
    warm.dispose();
    ws.write('b.py', DAG_FILE('b_changed') + '# longer\n');
    const again = new WorkspaceIndex({ root: ws.root, cacheDir, workers: 0 });
    await again.scan();
    assert.equal(again.lastScan!.parsed, 1);
    assert.deepEqual(dagIds(again), ['a', 'b_changed']);
    again.dispose();
  } finally {
    ws.cleanup();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('worker-thread scan gives the same facts as in-thread parsing; huge files are skipped with a reason', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 70; i++) files[`d${i}.py`] = DAG_FILE(`dag_${i}`, `TAGS = ["t${i}"]\n`).replace(`DAG("dag_${i}")`, `DAG("dag_${i}", tags=TAGS)`);
  files['huge.py'] = `# airflow dag\nX = "${'x'.repeat(2 * 1024 * 1024)}"\n`;
  const ws = makeWorkspace(files);
  const threaded = new WorkspaceIndex({ root: ws.root, workers: 2 });
  const inline = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    await threaded.scan();
    await inline.scan();
    assert.equal(threaded.lastScan!.workers > 0, true, 'workers were used');
    assert.deepEqual(factsToJson(threaded.files(), { root: ws.root }), factsToJson(inline.files(), { root: ws.root }));
    assert.match(threaded.getFile(path.join(ws.root, 'huge.py'))!.skipped ?? '', /2 MB/);
    assert.equal(dagIds(threaded).length, 70);
  } finally {
    threaded.dispose();
    inline.dispose();
    ws.cleanup();
  }
});

test('safe mode skips files without "airflow" and "dag"; turning it off analyses them', async () => {
  const ws = makeWorkspace({ 'plain.py': 'from x import DAG\nDAG("hidden")\n' });
  try {
    const safe = new WorkspaceIndex({ root: ws.root, workers: 0 });
    await safe.scan();
    assert.match(safe.getFile(path.join(ws.root, 'plain.py'))!.skipped ?? '', /safe mode/);
    safe.dispose();
    const unsafe = new WorkspaceIndex({ root: ws.root, workers: 0, safeMode: false });
    await unsafe.scan();
    assert.equal(unsafe.getFile(path.join(ws.root, 'plain.py'))!.skipped, undefined);
    unsafe.dispose();
  } finally {
    ws.cleanup();
  }
});

test('factsToJson is stable: sorted files and keys, relative paths, no versions', async () => {
  const index = new WorkspaceIndex({ root: path.join(examplesDir, 'dags'), workers: 0 });
  try {
    await index.scan();
    const json = factsToJson([...index.files()].reverse(), { root: index.root });
    assert.deepEqual(json, factsToJson(index.files(), { root: index.root }));
    const files = json.files as { file: string; version?: number }[];
    assert.deepEqual(files.map((f) => f.file), ['analytics_reporting.py', 'finance_ledger.py', 'marketing_leads.py', 'platform_maintenance.py']);
    assert.ok(files.every((f) => f.version === undefined));
    assert.equal(json.summary.dags, 4);
  } finally {
    index.dispose();
  }
});

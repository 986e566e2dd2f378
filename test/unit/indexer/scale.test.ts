/** Scale-related behaviour of the index: the compact on-disk cache, and edits that re-resolve only importers. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeFacts, encodeFacts } from '../../../server/src/indexer/factsCache';
import { factsToJson } from '../../../server/src/indexer/json';
import { WorkspaceIndex } from '../../../server/src/indexer/workspaceIndex';
import { DAG_FILE, makeWorkspace } from './tmpWorkspace';

const MODULE = 'TEAM_TAGS = ["analytics_edit"]\nOWNER = "x"\n';
const IMPORTER = (id: string): string => DAG_FILE(id).replace(`with DAG("${id}")`, `with DAG("${id}", tags=TEAM_TAGS)`).replace('from airflow import DAG\n', 'from airflow import DAG\nfrom common.tags import TEAM_TAGS\n');

test('cache codec: ranges become 4-tuples and come back identical', () => {
  const facts = { file: '/a.py', dags: [{ range: { start: { line: 1, character: 2 }, end: { line: 3, character: 4 } }, tags: { items: [{ value: 'x', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }], insertAt: { line: 5, character: 6 } } }], skipped: undefined };
  const encoded = JSON.parse(JSON.stringify(encodeFacts(facts))) as unknown;
  assert.deepEqual((encoded as { dags: { range: unknown }[] }).dags[0]!.range, [1, 2, 3, 4]);
  const { skipped: _s, ...expected } = facts;
  assert.deepEqual(decodeFacts(encoded), expected);
});

test('warm start reads DAG files and imported (safe-mode-skipped) modules from one cache file, and does not rewrite it', async () => {
  const ws = makeWorkspace({ 'dags/common/tags.py': MODULE, 'dags/a.py': IMPORTER('a'), 'dags/b.py': DAG_FILE('b') });
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-cache-'));
  try {
    const cold = new WorkspaceIndex({ root: ws.root, cacheDir, workers: 0 });
    await cold.scan();
    const coldJson = factsToJson(cold.files(), { root: ws.root });
    cold.dispose();
    const files = fs.readdirSync(cacheDir);
    assert.equal(files.length, 1, 'one cache file per workspace folder');
    const cacheFile = path.join(cacheDir, files[0]!);
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(cacheFile, past, past);
    const before = fs.statSync(cacheFile).mtimeMs;
    const warm = new WorkspaceIndex({ root: ws.root, cacheDir, workers: 0 });
    await warm.scan();
    assert.equal(warm.lastScan!.parsed, 0);
    assert.deepEqual(factsToJson(warm.files(), { root: ws.root }), coldJson);
    assert.deepEqual(warm.getFile(path.join(ws.root, 'dags/a.py'))!.dags[0]!.tags!.items.map((t) => t.value), ['analytics_edit']);
    assert.equal(fs.statSync(cacheFile).mtimeMs, before, 'an unchanged workspace does not rewrite the cache');
    warm.dispose();
  } finally {
    ws.cleanup();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('editing a module re-resolves its importers only; editing a DAG file reports only that file', async () => {
  const files: Record<string, string> = { 'dags/common/tags.py': MODULE, 'dags/a.py': IMPORTER('a'), 'dags/b.py': IMPORTER('b') };
  for (let i = 0; i < 20; i++) files[`dags/other_${i}.py`] = DAG_FILE(`other_${i}`);
  const ws = makeWorkspace(files);
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    await index.scan();
    index.files();
    const changes: string[][] = [];
    index.onDidChange((f) => changes.push(f));
    const module = path.join(ws.root, 'dags/common/tags.py');
    await index.updateText(module, 'TEAM_TAGS = ["finance_read"]\n', 2);
    assert.deepEqual(changes.flat().map((f) => path.relative(ws.root, f)).sort(), ['dags/a.py', 'dags/b.py', 'dags/common/tags.py'].map((p) => p.split('/').join(path.sep)));
    assert.deepEqual(index.getFile(path.join(ws.root, 'dags/b.py'))!.dags[0]!.tags!.items.map((t) => t.value), ['finance_read']);
    changes.length = 0;
    const other = path.join(ws.root, 'dags/other_3.py');
    await index.updateText(other, DAG_FILE('renamed'), 2);
    assert.deepEqual(changes, [[other]]);
  } finally {
    index.dispose();
    ws.cleanup();
  }
});

/**
 * A scan's lifecycle: a newer scan or dispose cancels a running one (which then reports `cancelled`
 * and emits nothing), dispose waits for it before freeing the parser, a streaming scan hands facts
 * over in batches with its progress, and the same change on disk is analysed once.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { WorkspaceIndex, type ScanProgress } from '../../../server/src/indexer/workspaceIndex';
import { factsToJson } from '../../../server/src/indexer/json';
import { examplesDir, fixturesDir } from '../../helpers/paths';
import { DAG_FILE, makeWorkspace } from './tmpWorkspace';

function manyDags(n: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) files[`dags/d${i}.py`] = DAG_FILE(`d${i}`);
  return files;
}

/** The DAGs with this static dag_id in the index's facts. */
function dagsWithId(index: WorkspaceIndex, id: string) {
  return index.files().flatMap((f) => f.dags.filter((d) => d.dagId.kind === 'static' && d.dagId.value === id));
}

test('a second scan cancels the running one; only the second emits and completes', async () => {
  const ws = makeWorkspace(manyDags(300));
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    const emitted: number[] = [];
    index.onDidChange((files) => emitted.push(files.length));
    const first = index.scan();
    const second = index.scan();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.cancelled, true);
    assert.equal(b.cancelled, false);
    assert.equal(b.files, 300);
    assert.deepEqual(emitted, [300], 'one change event, from the scan that completed');
    assert.deepEqual({ scans: index.counters.scans, cancelled: index.counters.cancelledScans }, { scans: 1, cancelled: 1 });
  } finally {
    await index.dispose();
    ws.cleanup();
  }
});

test('dispose stops a running scan and frees the parser only after it let go', async () => {
  const ws = makeWorkspace(manyDags(300));
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    await index.updateText(path.join(ws.root, 'open.py'), DAG_FILE('open'), 1); // the parser is loaded
    const scan = index.scan();
    let progressed = false;
    const disposed = index.dispose().then(() => (progressed = true));
    const res = await scan;
    assert.equal(res.cancelled, true);
    await disposed;
    assert.ok(progressed);
    assert.equal(index.scanning, false);
    await assert.rejects(index.updateText(path.join(ws.root, 'open.py'), DAG_FILE('later'), 2), /disposed/);
  } finally {
    ws.cleanup();
  }
});

test('a streaming scan hands facts over in batches and reports its progress up to the total', async () => {
  const ws = makeWorkspace(manyDags(400));
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    const batches: number[] = [];
    index.onDidChange((files) => batches.push(files.length));
    const progress: ScanProgress[] = [];
    await index.scan(undefined, { stream: true, streamMs: 0, onProgress: (p) => progress.push({ ...p }) });
    assert.ok(batches.length > 2, `batches: ${batches.join(',')}`);
    assert.equal(batches[batches.length - 1], 400, 'the end of the scan lists every file');
    const analysing = progress.filter((p) => p.phase === 'analysing');
    assert.deepEqual(analysing.map((p) => p.done), [...analysing.map((p) => p.done)].sort((a, b) => a - b));
    assert.equal(analysing[analysing.length - 1]!.done, 400);
    assert.equal(progress[progress.length - 1]!.phase, 'resolving');
  } finally {
    await index.dispose();
    ws.cleanup();
  }
});

test('a change on disk reported twice is analysed once; a real second change is analysed again', async () => {
  const ws = makeWorkspace({ 'a.py': DAG_FILE('a') });
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    await index.scan();
    const file = ws.write('a.py', DAG_FILE('a2'));
    const before = index.counters.diskAnalyses;
    await index.updateFromDisk(file);
    await index.updateFromDisk(file);
    assert.equal(index.counters.diskAnalyses - before, 1);
    assert.equal(dagsWithId(index, 'a2').length, 1);
    fs.writeFileSync(file, DAG_FILE('a3', '# longer now\n'));
    await index.updateFromDisk(file);
    assert.equal(index.counters.diskAnalyses - before, 2);
    assert.equal(dagsWithId(index, 'a3').length, 1);
  } finally {
    await index.dispose();
    ws.cleanup();
  }
});

test('a streamed scan resolved as it goes ends with the same facts as a scan resolved at the end', async () => {
  // An importer handed over batches before the module it imports (files go in path order).
  const late = makeWorkspace({ ...manyDags(120), 'dags/a.py': 'from airflow import DAG\nfrom zz.consts import TAGS\nwith DAG("a", tags=TAGS):\n    pass\n', 'zz/__init__.py': '', 'zz/consts.py': 'TAGS = ["late_tag"]\n' });
  try {
    for (const root of [late.root, examplesDir, path.join(fixturesDir, 'dags')]) await sameFactsStreamed(root, root === late.root ? 0 : undefined);
    const index = new WorkspaceIndex({ root: late.root, workers: 0 });
    await index.scan(undefined, { stream: true, streamMs: 0 });
    assert.deepEqual(index.files().filter((f) => f.dags.some((d) => d.tags?.items.some((t) => t.value === 'late_tag'))).map((f) => path.basename(f.file)), ['a.py']);
    await index.dispose();
  } finally {
    late.cleanup();
  }
});

async function sameFactsStreamed(root: string, workers?: number): Promise<void> {
  {
    const plain = new WorkspaceIndex({ root, ...(workers === undefined ? {} : { workers }) });
    const streamed = new WorkspaceIndex({ root, ...(workers === undefined ? {} : { workers }) });
    try {
      await plain.scan();
      let flushes = 0;
      // As the server's lookup table does: every streamed batch is resolved at once, imports half there.
      streamed.onDidChange((files) => (flushes++, files.forEach((f) => streamed.getFile(f))));
      await streamed.scan(undefined, { stream: true, streamMs: 0 });
      assert.ok(flushes > 1, `${root}: ${flushes} flush(es)`);
      assert.deepEqual(factsToJson(streamed.files(), { root }), factsToJson(plain.files(), { root }), root);
    } finally {
      await plain.dispose();
      await streamed.dispose();
    }
  }
}

/**
 * The parse-worker pool keeps several batches in flight per worker. Facts must still come back in job
 * order, whatever order the batches finish in, and a cancelled run must stop handing out batches.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { analyseDisk } from '../../../server/src/indexer/analyseFile';
import { WorkerPool } from '../../../server/src/indexer/workerPool';
import { createPythonParser } from '../../../server/src/parsing/treeSitter';
import { DAG_FILE, makeWorkspace } from './tmpWorkspace';

function workspace(count: number): ReturnType<typeof makeWorkspace> {
  const files: Record<string, string> = {};
  // Sizes vary a lot so that batches finish out of order.
  for (let i = 0; i < count; i++) files[`d${String(i).padStart(3, '0')}.py`] = DAG_FILE(`dag_${i}`, `TAGS = ["t${i}"]\n${'X = 1\n'.repeat((i * 37) % 400)}`);
  return makeWorkspace(files);
}

test('pool with several batches in flight per worker returns every file\'s facts in job order', async () => {
  const ws = workspace(150);
  const pool = WorkerPool.create(2);
  assert.ok(pool, 'workers start');
  const parser = await createPythonParser();
  try {
    const files = Array.from({ length: 150 }, (_, i) => path.join(ws.root, `d${String(i).padStart(3, '0')}.py`));
    const jobs = files.map((file) => ({ file, safeMode: true }));
    for (const depth of [1, 2, 3]) {
      const facts = await pool.run(jobs, 4, undefined, depth);
      assert.equal(facts.length, files.length);
      assert.deepEqual(
        facts.map((f) => f.dags.map((d) => (d.dagId.kind === 'static' ? d.dagId.value : '?')).join()),
        files.map((_f, i) => `dag_${i}`),
        `depth ${depth}`,
      );
      assert.deepEqual(facts, files.map((f) => analyseDisk(parser, f, { safeMode: true })), `depth ${depth}: same facts as in-thread`);
    }
  } finally {
    parser.delete();
    await pool.close();
    ws.cleanup();
  }
});

test('a cancelled pool run stops handing out batches', async () => {
  const ws = workspace(120);
  const pool = WorkerPool.create(2);
  assert.ok(pool);
  try {
    const jobs = Array.from({ length: 120 }, (_, i) => ({ file: path.join(ws.root, `d${String(i).padStart(3, '0')}.py`), safeMode: true }));
    const token = { isCancellationRequested: true };
    const facts = await pool.run(jobs, 4, token, 2);
    assert.equal(facts.filter(Boolean).length, 0, 'nothing analysed after cancellation');
  } finally {
    await pool.close();
    ws.cleanup();
  }
});

/**
 * Workers parse a group of files before extracting them (analyseDiskGroup). Every file must get the
 * facts it gets on its own, in job order, whatever else is in its group: files that are skipped before
 * or at the parse, one that cannot be read, and a file big enough to fill a group by itself.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { analyseDisk, analyseDiskGroup } from '../../../server/src/indexer/analyseFile';
import { createPythonParser } from '../../../server/src/parsing/treeSitter';
import { pythonCorpus } from '../hardening/mutate';
import { DAG_FILE, makeWorkspace } from './tmpWorkspace';

test('grouped analysis gives each file the facts it gets alone, in job order', async () => {
  const big = `from airflow import DAG\n${Array.from({ length: 9000 }, (_, i) => `V${i} = "${'x'.repeat(20)}"`).join('\n')}\nDAG("big", tags=["t"])\n`;
  const files: Record<string, string> = {
    'a.py': DAG_FILE('first'),
    'no_airflow.py': 'print("not a DAG file")\n',
    'deep.py': `from airflow import DAG\n${Array.from({ length: 320 }, (_, i) => `${' '.repeat(i)}if x:\n`).join('')}${' '.repeat(320)}DAG("deep")\n`,
    'big.py': big,
    'broken.py': 'from airflow import DAG\nwith DAG("b", tags=["x"]:\n    pass\n',
    'z.py': DAG_FILE('last', 'TAGS = ["a"]\n'),
  };
  pythonCorpus().slice(0, 40).forEach((text, i) => (files[`corpus_${i}.py`] = text));
  const ws = makeWorkspace(files);
  const parser = await createPythonParser();
  try {
    const paths = [...Object.keys(files).map((f) => path.join(ws.root, f)), path.join(ws.root, 'missing.py')];
    for (const safeMode of [true, false]) {
      const alone = paths.map((f) => analyseDisk(parser, f, { safeMode }));
      const grouped = analyseDiskGroup(parser, paths.map((file) => ({ file, opts: { safeMode } })));
      assert.deepEqual(grouped, alone, `safe mode ${safeMode}`);
      const kinds = new Set(alone.map((f) => (f.skipped ? f.skipped.split(':')[0] : f.dags.length ? 'dags' : 'none')));
      assert.ok(kinds.size >= 4, `the files do not cover skipped and analysed kinds: ${[...kinds].join(', ')}`);
    }
  } finally {
    parser.delete();
    ws.cleanup();
  }
});

/**
 * The labelled corpus: every `test/fixtures/dags/**.py` has a hand-written `.expected.json`. The index
 * of the whole corpus is compared with it field by field; precision and recall are printed per field
 * and anything below 100 % fails (every expectation is a statically resolvable value).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { WorkspaceIndex } from '../../../server/src/indexer/workspaceIndex';
import { fixturesDir, pyFilesUnder } from '../../helpers/paths';
import { actualItems, expectedItems, FIELDS, type ExpectedFile, type Field, type Items } from './corpusExpectations';

const corpus = path.join(fixturesDir, 'dags');


function multisetDiff(a: string[], b: string[]): string[] {
  const rest = [...b];
  const out: string[] = [];
  for (const x of a) {
    const i = rest.indexOf(x);
    if (i >= 0) rest.splice(i, 1);
    else out.push(x);
  }
  return out;
}

test('the labelled DAG corpus is indexed with 100 % precision and recall on every field', async () => {
  const files = pyFilesUnder(corpus).sort();
  assert.ok(files.length >= 60, `corpus has ${files.length} files`);
  const index = new WorkspaceIndex({ root: corpus });
  await index.scan();
  const score = new Map<Field, { tp: number; fp: number; fn: number }>(FIELDS.map((f) => [f, { tp: 0, fp: 0, fn: 0 }]));
  const problems: string[] = [];
  let dagFiles = 0;
  for (const file of files) {
    const rel = path.relative(corpus, file);
    const expFile = file.replace(/\.py$/, '.expected.json');
    assert.ok(fs.existsSync(expFile), `${rel} has no expected-facts JSON beside it`);
    const exp = JSON.parse(fs.readFileSync(expFile, 'utf8')) as ExpectedFile;
    if (exp.dags.length) dagFiles++;
    const facts = index.getFile(file);
    assert.ok(facts, `${rel} was not indexed`);
    const e: Items = expectedItems(file, exp);
    const a: Items = actualItems(facts, exp);
    for (const f of FIELDS) {
      const ev = e.get(f) ?? [];
      const av = a.get(f) ?? [];
      const missing = multisetDiff(ev, av);
      const extra = multisetDiff(av, ev);
      const s = score.get(f)!;
      s.fn += missing.length;
      s.fp += extra.length;
      s.tp += ev.length - missing.length;
      if (missing.length || extra.length) problems.push(`${rel} [${f}] missing: ${JSON.stringify(missing)} unexpected: ${JSON.stringify(extra)}`);
    }
  }
  const pct = (n: number, d: number): string => (d === 0 ? '   n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);
  const lines = [`corpus: ${files.length} files, ${dagFiles} with DAGs`, 'field              precision  recall   (tp/fp/fn)'];
  for (const [f, s] of score) lines.push(`${f.padEnd(18)} ${pct(s.tp, s.tp + s.fp)}   ${pct(s.tp, s.tp + s.fn)}   (${s.tp}/${s.fp}/${s.fn})`);
  console.log(lines.join('\n'));
  index.dispose();
  assert.deepEqual(problems, [], problems.join('\n'));
});

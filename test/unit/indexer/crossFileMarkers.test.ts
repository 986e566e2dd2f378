import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { CrossFileResolver } from '../../../server/src/indexer/crossFile';
import { hasMarker } from '../../../server/src/indexer/factMarkers';
import type { FileFacts } from '../../../server/src/model/facts';
import { examplesDir, fixturesDir, pyFilesUnder } from '../../helpers/paths';
import { factsOf } from './helpers';


/** The check the resolver made before: serialise the facts and look for a marker key. */
const markedAsText = (f: FileFacts): boolean => /"(pending|import|defaultArgsImport|dagClass)":/.test(JSON.stringify(f));

test('the marker walk agrees with looking for marker keys in the JSON text, on every example and fixture file', async () => {
  const files = [...pyFilesUnder(examplesDir), ...pyFilesUnder(path.join(fixturesDir, 'dags'))];
  let marked = 0;
  for (const file of files) {
    const facts = await factsOf(fs.readFileSync(file, 'utf8'), file);
    assert.equal(hasMarker(facts), markedAsText(facts), file);
    if (hasMarker(facts)) marked++;
  }
  // Both kinds are in the corpus (otherwise the comparison above proves little).
  assert.ok(marked > 10 && marked < files.length, `${marked} of ${files.length}`);
});

test('a marker counts at any depth, but not with an undefined value (JSON drops it)', () => {
  assert.equal(hasMarker({ dags: [{ tags: { items: [{ pending: { name: 'X' } }] } }] }), true);
  assert.equal(hasMarker({ dags: [{ dagClass: undefined, tags: null }] }), false);
  assert.equal(hasMarker({ exports: { X: { kind: 'import', ref: {} } } }), false); // a kind value, not a key
});

test('facts with nothing to resolve are handed out as extracted; an imported value is resolved in a copy', async () => {
  const plain = await factsOf('from airflow import DAG\nwith DAG("a", tags=["x"]):\n    pass\n', '/ws/a.py');
  const user = await factsOf('from airflow import DAG\nfrom consts import TAG\nwith DAG("b", tags=[TAG]):\n    pass\n', '/ws/b.py');
  const consts = await factsOf('TAG = "shared"\n', '/ws/consts.py');
  const byFile = new Map([plain, user, consts].map((f) => [f.file, f]));
  const r = new CrossFileResolver((f) => byFile.get(f), (m) => (m === 'consts' ? '/ws/consts.py' : null));
  assert.equal(r.get('/ws/a.py'), plain);
  const b = r.get('/ws/b.py')!;
  assert.notEqual(b, user);
  assert.deepEqual(b.dags[0]!.tags!.items.map((t) => t.value), ['shared']);
  assert.equal(markedAsText(user), true); // the extracted facts keep their marker
});

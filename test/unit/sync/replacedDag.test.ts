/** What the drop-in DAG takes over from the sync DAG it replaces: dag_id, schedule, start date; literals only. */
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Parser } from 'web-tree-sitter';
import { createPythonParser } from '../../../server/src/parsing/treeSitter';
import { readReplacedDag } from '../../../server/src/sync/replacedDag';

let parser: Parser;
before(async () => { parser = await createPythonParser(); });

test('positional dag_id and schedule_interval (Airflow 2.x spelling)', () => {
  const r = readReplacedDag('import pendulum\nfrom airflow import DAG\nwith DAG("perm_sync", schedule_interval=\'@daily\', start_date=pendulum.datetime(2024, 3, 1, tz="UTC")):\n    pass\n', parser);
  assert.deepEqual(r, { dag: { dagId: 'perm_sync', schedule: "'@daily'", scheduleProblem: null, startDate: 'pendulum.datetime(2024, 3, 1, tz="UTC")', line: 3 } });
});

test('no schedule means None; a start_date that is not a literal pendulum call is not taken over', () => {
  const r = readReplacedDag('from airflow import DAG\nimport datetime\ndag = DAG(dag_id="x", start_date=datetime.datetime.now())\n', parser);
  assert.deepEqual(r, { dag: { dagId: 'x', schedule: 'None', scheduleProblem: null, startDate: null, line: 3 } });
});

test('a dag_id that is not a literal, or two DAGs: an error, never a guess', () => {
  assert.deepEqual(readReplacedDag('from airflow import DAG\nNAME = "a"\nDAG(dag_id=NAME)\n', parser), { error: 'line 3: the dag_id is not a string literal' });
  assert.deepEqual(readReplacedDag('from airflow import DAG\nDAG("a")\nDAG("b")\n', parser), { error: 'it defines 2 DAGs; expected exactly one' });
  assert.deepEqual(readReplacedDag('x = 1\n', parser), { error: 'no DAG(...) call found' });
});

/** An imported list of assets resolves to one reference per asset (single imported assets already did). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { WorkspaceIndex } from '../../../server/src/indexer/workspaceIndex';
import { DagTable } from '../../../server/src/project/dagTable';
import type { DagFact } from '../../../server/src/model/facts';

const idOf = (dag: DagFact): string => (dag.dagId.kind === 'static' ? dag.dagId.value : '?');
import { makeWorkspace } from './tmpWorkspace';

test('schedule= an imported list of assets links each asset; outlets= too', async () => {
  const ws = makeWorkspace({
    'dags/common/assets.py': 'from airflow.sdk import Asset\nraw = Asset("raw")\nINPUTS = [raw, Asset("clean")]\nMIXED = [raw, "not an asset"]\n',
    'dags/consumer.py': 'from airflow.sdk import DAG\nfrom common.assets import INPUTS, MIXED\nwith DAG("consumer", schedule=INPUTS):\n    pass\nwith DAG("mixed", schedule=MIXED):\n    pass\n',
    'dags/producer.py': 'from airflow.sdk import DAG\nfrom airflow.providers.standard.operators.empty import EmptyOperator\nfrom common.assets import INPUTS\nwith DAG("producer"):\n    EmptyOperator(task_id="t", outlets=INPUTS)\n',
  });
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    await index.scan();
    const consumer = index.getFile(path.join(ws.root, 'dags/consumer.py'))!;
    const module = path.join(ws.root, 'dags/common/assets.py');
    assert.deepEqual(consumer.dags[0]!.schedule.map((r) => [r.key, r.imported?.file, r.reason]), [['raw', module, undefined], ['clean', module, undefined]]);
    assert.equal(consumer.dags[1]!.schedule[0]!.key, null, 'a list that is not all assets stays unresolved');
    assert.ok(consumer.dags[1]!.schedule[0]!.reason);
    const t = new DagTable();
    t.reset(index.files());
    assert.deepEqual(t.consumersOf('clean').map((c) => idOf(c.dag)), ['consumer']);
    assert.deepEqual(t.producersOf('clean').map((c) => idOf(c.dag)), ['producer']);
    assert.deepEqual(t.producersOf('raw').map((c) => idOf(c.dag)), ['producer']);
  } finally {
    index.dispose();
    ws.cleanup();
  }
});

test('class-style DAG(...) inside a module-level function exists only when the function is called at module level', async () => {
  const ws = makeWorkspace({
    'f.py': [
      'from airflow import DAG',
      'def never():',
      '    return DAG("never_called", tags=["x"])',
      'def factory(i):',
      '    with DAG(f"made_{i}") as d:',
      '        pass',
      '    return d',
      'for i in range(2):',
      '    globals()[str(i)] = factory(i)',
      'class Builder:',
      '    def build(self):',
      '        return DAG("in_method")',
      '',
    ].join('\n'),
  });
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    await index.scan();
    const dags = index.getFile(path.join(ws.root, 'f.py'))!.dags;
    assert.deepEqual(dags.map((d) => d.instantiated), [false, true, true]);
  } finally {
    index.dispose();
    ws.cleanup();
  }
});

test('default_args imported from another module is checked for (ignored) tags', async () => {
  const ws = makeWorkspace({
    'dags/common/defaults.py': 'DEFAULT_ARGS = {"owner": "x", "tags": ["finance_read"]}\nPLAIN = {"owner": "y"}\n',
    'dags/d.py': 'from airflow import DAG\nfrom common.defaults import DEFAULT_ARGS, PLAIN\nwith DAG("d", default_args=DEFAULT_ARGS):\n    pass\nwith DAG("e", default_args=PLAIN):\n    pass\n',
  });
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    await index.scan();
    const [d, e] = index.getFile(path.join(ws.root, 'dags/d.py'))!.dags;
    const module = path.join(ws.root, 'dags/common/defaults.py');
    assert.deepEqual(d!.defaultArgsTags!.items.map((t) => [t.value, t.via?.file]), [['finance_read', module]]);
    assert.deepEqual(d!.defaultArgsTags!.range, { start: { line: 2, character: 27 }, end: { line: 2, character: 39 } });
    assert.equal(d!.tags, null, 'tags in default_args do not count as DAG tags');
    assert.equal(e!.defaultArgsTags, null);
    assert.equal('defaultArgsImport' in d!, false);
  } finally {
    index.dispose();
    ws.cleanup();
  }
});

test('an AssetAlias in a schedule or outlets is dynamic with a reason naming the alias', async () => {
  const ws = makeWorkspace({
    'a.py': 'from airflow.sdk import DAG, AssetAlias\nfrom airflow.providers.standard.operators.empty import EmptyOperator\nwith DAG("a", schedule=[AssetAlias("partners")]):\n    EmptyOperator(task_id="t", outlets=[AssetAlias(name="out")])\n',
  });
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    await index.scan();
    const dag = index.getFile(path.join(ws.root, 'a.py'))!.dags[0]!;
    assert.match(dag.scheduleDynamic[0]!.reason, /^asset alias "partners": .*run time/);
    assert.deepEqual(dag.scheduleDynamic[0]!.range, { start: { line: 2, character: 24 }, end: { line: 2, character: 46 } });
    assert.match(dag.producers[0]!.outlets[0]!.reason!, /^asset alias "out": /);
    assert.equal(dag.producers[0]!.outlets[0]!.key, null);
  } finally {
    index.dispose();
    ws.cleanup();
  }
});

test('an imported access_control dict is read; an imported default_args-style dict is not an access_control dict', async () => {
  const ws = makeWorkspace({
    'dags/common/settings.py': [
      'from datetime import timedelta',
      'ACCESS = {"team_a": {"can_read"}, "team_b": frozenset({"can_edit"})}',
      'DEFAULTS = {"owner": "data", "retries": 2, "retry_delay": timedelta(minutes=5)}',
      'WRONG = {"team_a": "can_read"}',
    ].join('\n'),
    'dags/d.py': [
      'from airflow import DAG',
      'from common.settings import ACCESS, DEFAULTS, WRONG',
      'with DAG("ok", access_control=ACCESS):\n    pass',
      'with DAG("defaults", access_control=DEFAULTS):\n    pass',
      'with DAG("wrong", access_control=WRONG):\n    pass',
    ].join('\n'),
  });
  const index = new WorkspaceIndex({ root: ws.root, workers: 0 });
  try {
    await index.scan();
    const [ok, defaults, wrong] = index.getFile(path.join(ws.root, 'dags/d.py'))!.dags.map((d) => d.accessControl!);
    assert.equal(ok.kind, 'dict');
    assert.deepEqual(ok.roles.map((r) => [r.role.value, r.resources[0].actions.map((a) => a.value)]), [['team_a', ['can_read']], ['team_b', ['can_edit']]]);
    assert.equal(defaults.kind, 'dynamic');
    assert.match(defaults.dynamic[0].reason, /`DEFAULTS` from `common.settings` is not an access_control dict/);
    // A string where a set belongs is still read, so the mistake is reported where the DAG uses it.
    assert.equal(wrong.kind, 'dict');
    assert.match(wrong.roles[0].resources[0].dynamic[0].reason, /a single string where a collection of strings is expected/);
  } finally {
    index.dispose();
    ws.cleanup();
  }
});

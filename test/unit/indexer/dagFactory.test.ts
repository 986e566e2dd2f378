/** dag-factory files: each call that registers DAGs from YAML is one DAG with a dynamic dag_id and a reason. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { factsOf, slice } from './helpers';

const reasons = (facts: Awaited<ReturnType<typeof factsOf>>) => facts.dags.map((d) => (d.dagId.kind === 'dynamic' ? d.dagId.reason : `static ${d.dagId.value}`));

test('DagFactory(...).generate_dags(globals()): one dynamic DAG at the generate_dags call, naming the YAML file', async () => {
  const src = [
    'import dagfactory',
    'from airflow import DAG',
    'factory = dagfactory.DagFactory("/opt/airflow/dags/sales.yml")',
    'factory.clean_dags(globals())',
    'factory.generate_dags(globals())',
  ].join('\n');
  const facts = await factsOf(src);
  assert.deepEqual(reasons(facts), ["dag-factory's factory.generate_dags(...) builds DAGs from the YAML file '/opt/airflow/dags/sales.yml' when the file runs"]);
  const [dag] = facts.dags;
  assert.equal(dag!.style, 'call');
  assert.equal(slice(src, dag!.nameRange), 'factory.generate_dags');
  assert.equal(dag!.tags, null);
});

test('from dagfactory import DagFactory (aliased), config_filepath= keyword, path computed at run time, config dict', async () => {
  const src = [
    'import os',
    'from dagfactory import DagFactory as DF',
    'from airflow import DAG',
    'a = DF(config_filepath=os.path.join(os.path.dirname(__file__), "a.yml"))',
    'a.generate_dags(globals())',
    'DF(config={"x": {}}).generate_dags(globals())',
  ].join('\n');
  assert.deepEqual(reasons(await factsOf(src)), [
    'dag-factory\'s a.generate_dags(...) builds DAGs from the YAML file `os.path.join(os.path.dirname(__file__), \"a.yml\")` (computed at run time) when the file runs',
    "dag-factory's DF(...).generate_dags(...) builds DAGs from a config dict when the file runs",
  ]);
});

test('load_yaml_dags: a YAML file, a folder, the default dags_folder; `import dagfactory as df` too', async () => {
  const src = [
    'from airflow import DAG',
    'import dagfactory as df',
    'from dagfactory import load_yaml_dags',
    'load_yaml_dags(globals_dict=globals(), config_filepath="configs/hr.yaml")',
    'load_yaml_dags(globals(), "configs")',
    'df.load_yaml_dags(globals_dict=globals())',
  ].join('\n');
  assert.deepEqual(reasons(await factsOf(src)), [
    "dag-factory's load_yaml_dags(...) builds DAGs from the YAML file 'configs/hr.yaml' when the file runs",
    "dag-factory's load_yaml_dags(...) builds DAGs from every .yaml / .yml file under 'configs' when the file runs",
    "dag-factory's df.load_yaml_dags(...) builds DAGs from every .yaml / .yml file under Airflow's dags_folder when the file runs",
  ]);
});

test('not dag-factory: a local load_yaml_dags, generate_dags on another object, a factory never generating, a call inside a def', async () => {
  const src = [
    'from airflow import DAG',
    'import dagfactory',
    'def load_yaml_dags(g): pass',
    'load_yaml_dags(globals())',
    'other = object()',
    'other.generate_dags(globals())',
    'f = dagfactory.DagFactory("x.yml")',
    'f.clean_dags(globals())',
    'def later():',
    '    f.generate_dags(globals())',
  ].join('\n');
  assert.deepEqual((await factsOf(src)).dags, []);
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { factsOf, slice } from './helpers';

test('dag_id, tags and keyword ranges cover exactly the source text, in UTF-16 columns', async () => {
  const src = 'from airflow import DAG\nwith DAG("é📊_id", schedule=None, tags=["a", "b"]) as dag:\n    pass\n';
  const [dag] = (await factsOf(src)).dags;
  assert.ok(dag && dag.dagId.kind === 'static');
  assert.equal(dag.dagId.value, 'é📊_id');
  assert.equal(slice(src, dag.dagId.range), '"é📊_id"');
  assert.equal(slice(src, dag.tags!.range), '["a", "b"]');
  assert.equal(slice(src, dag.tags!.keywordRange), 'tags');
  assert.deepEqual(dag.tags!.items.map((t) => slice(src, t.range)), ['"a"', '"b"']);
  assert.equal(src.split('\n')[1]!.slice(dag.tags!.insertAt!.character), '"b"]'.slice(3) + ') as dag:');
  assert.equal(slice(src, dag.nameRange), 'DAG');
  assert.equal(slice(src, dag.argsRange!).startsWith('("é📊_id"'), true);
});

test('every access_control role key and action has its own range, in both forms', async () => {
  const src = [
    'from airflow import DAG',
    'with DAG("x", access_control={"viewer": {"can_read"}, "ops": {"DAGs": ["can_edit"], "DAG Runs": {"can_create"}}}):',
    '    pass',
  ].join('\n');
  const ac = (await factsOf(src)).dags[0]!.accessControl!;
  assert.equal(ac.kind, 'dict');
  assert.equal(slice(src, ac.keywordRange), 'access_control');
  const [viewer, ops] = ac.roles;
  assert.equal(viewer!.form, 'legacy');
  assert.equal(slice(src, viewer!.role.range), '"viewer"');
  assert.equal(slice(src, viewer!.resources[0]!.actions[0]!.range), '"can_read"');
  assert.equal(ops!.form, 'nested');
  assert.deepEqual(ops!.resources.map((r) => [r.resource?.value, r.actions.map((a) => slice(src, a.range))]), [
    ['DAGs', ['"can_edit"']],
    ['DAG Runs', ['"can_create"']],
  ]);
});

test('aliases of the DAG class and decorator are recognised; a local DAG class is not', async () => {
  const src = [
    'import airflow',
    'from airflow import DAG as AirflowDAG',
    'from airflow.sdk import dag as dag_decorator',
    'airflow.DAG("one")',
    'AirflowDAG("two")',
    '@dag_decorator()',
    'def three():',
    '    pass',
    'three()',
  ].join('\n');
  const ids = (await factsOf(src)).dags.map((d) => (d.dagId.kind === 'static' ? d.dagId.value : null));
  assert.deepEqual(ids, ['one', 'two', 'three']);
  const local = await factsOf('class DAG:\n    pass\nwith DAG("airflow_lookalike"):\n    pass\n');
  assert.equal(local.dags.length, 0);
});

test('a @dag function is instantiated only when called at module level (also as `x = fn()`)', async () => {
  const base = 'from airflow.decorators import dag\n@dag\ndef pipeline():\n    pass\n';
  assert.equal((await factsOf(base)).dags[0]!.instantiated, false);
  assert.equal((await factsOf(`${base}pipeline()\n`)).dags[0]!.instantiated, true);
  assert.equal((await factsOf(`${base}instance = pipeline()\n`)).dags[0]!.instantiated, true);
  assert.equal((await factsOf(`${base}def later():\n    pipeline()\n`)).dags[0]!.instantiated, false);
  assert.equal((await factsOf(`${base}if __name__ == "__main__":\n    pipeline().test()\n`)).dags[0]!.instantiated, false);
});

test('tags inside default_args are reported separately, with the range of the ignored literal', async () => {
  const src = 'from airflow import DAG\nARGS = {"owner": "me", "tags": ["lost_edit"]}\nwith DAG("d", default_args=ARGS):\n    pass\n';
  const dag = (await factsOf(src)).dags[0]!;
  assert.equal(dag.tags, null);
  assert.deepEqual(dag.defaultArgsTags!.items.map((t) => t.value), ['lost_edit']);
  assert.equal(slice(src, dag.defaultArgsTags!.items[0]!.range), '"lost_edit"');
  assert.equal(slice(src, dag.defaultArgsTags!.keywordRange), '"tags"');
});

test('values that depend on run time are dynamic with the expression range and a reason, never guessed', async () => {
  const src = 'from airflow import DAG\nfor team in ["a", "b"]:\n    DAG(f"etl_{team}", tags=[team, "fixed"])\n';
  const dag = (await factsOf(src)).dags[0]!;
  assert.equal(dag.dagId.kind, 'dynamic');
  assert.equal(slice(src, dag.dagId.range), 'f"etl_{team}"');
  assert.match(dag.dagId.kind === 'dynamic' ? dag.dagId.reason : '', /loop variable/);
  assert.deepEqual(dag.tags!.items.map((t) => t.value), ['fixed']);
  assert.equal(slice(src, dag.tags!.dynamic[0]!.range), 'team');
});

test('constants resolve through f-strings and concatenation; the origin points at the constant', async () => {
  const src = 'from airflow import DAG\nTEAM = "fin"\nwith DAG(TEAM + "_" + f"{TEAM}ance"):\n    pass\n';
  const id = (await factsOf(src)).dags[0]!.dagId;
  assert.ok(id.kind === 'static');
  assert.equal(id.value, 'fin_finance');
  assert.equal(slice(src, id.via!.range), 'TEAM');
});

test('a syntax error is reported at its range and DAGs before it are still read', async () => {
  const src = 'from airflow import DAG\nwith DAG("kept", tags=["t"]):\n    pass\nx = (1,\n';
  const facts = await factsOf(src);
  assert.deepEqual(facts.dags.map((d) => d.dagId.kind === 'static' && d.dagId.value), ['kept']);
  assert.ok(facts.syntaxErrors.length > 0);
  assert.ok(facts.syntaxErrors.every((e) => e.range.start.line >= 3 && e.message.startsWith('Syntax error')));
});

test('asset keys follow Airflow: Asset positional is the name, Dataset positional is the uri', async () => {
  const src = [
    'from airflow.sdk import Asset',
    'from airflow.datasets import Dataset',
    'a = Asset("by_name", "s3://a")',
    'b = Asset(uri="s3://only-uri")',
    'c = Dataset("s3://dataset")',
  ].join('\n');
  const assets = (await factsOf(src)).assets;
  assert.deepEqual(assets.map((x) => [x.kind, x.key, x.variable?.value]), [
    ['Asset', 'by_name', 'a'],
    ['Asset', 's3://only-uri', 'b'],
    ['Dataset', 's3://dataset', 'c'],
  ]);
});

test('imported names are left as markers for the workspace index, not guessed', async () => {
  const src = 'from airflow.sdk import DAG\nfrom shared.assets import orders\nfrom common.tags import TAGS\nwith DAG("d", schedule=[orders], tags=TAGS):\n    pass\n';
  const dag = (await factsOf(src)).dags[0]!;
  assert.deepEqual(dag.schedule[0]!.import, { module: 'shared.assets', symbol: 'orders' });
  assert.equal(dag.schedule[0]!.key, null);
  assert.deepEqual(dag.tags!.dynamic[0]!.pending?.[0], { kind: 'import', ref: { module: 'common.tags', symbol: 'TAGS' }, range: dag.tags!.range });
});

test('an attribute on a non-name expression (error recovery) is dynamic, not a crash', async () => {
  const text = [
    'from airflow import DAG',
    'with DAG("unicode_tagsflow creates no DAG."""',
    'from airflow.decorators import dag, task',
    '@dag(tags=["forgotten"])',
    'def forgotten_dfrom airflow.decorators import dag, task',
    '@dag(tags=["forgotten"])',
    'def forgotten_dag():',
    '    pass',
    '',
  ].join('\n');
  const facts = await factsOf(text);
  assert.deepEqual(facts.syntaxErrors.filter((e) => e.message.startsWith('Could not analyse')), []);
  assert.ok(facts.syntaxErrors.length > 0);
});

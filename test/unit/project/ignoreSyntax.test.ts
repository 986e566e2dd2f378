/**
 * The `.airflowignore` syntax follows the Airflow in effect: regexp under Airflow 2 (its default),
 * glob under Airflow 3 (its default since PR #42436), or the config's airflow.dag_ignore_file_syntax.
 * One ignore file whose lines mean different things in each syntax gives a different DAG set, as
 * Airflow's DAG processor would; a version typed into the config rescans.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project } from '../../../server/src/project/project';
import { parseSettings } from '../../../server/src/settings';
import { runConfigRules } from '../../../server/src/rules';
import { ignoreSyntaxFor } from '../../../server/src/model/ignoreSyntax';
import { createDemoDatabase } from '../../../server/src/sync/demo';

// regexp: `legacy_.*` hides legacy_report.py; `*_test.py` does not compile (ADA092); `tmp/` and
// `scratch` are searched in the relative path (my_scratch_pad.py too).
// glob: `legacy_.*` names only "legacy_.<x>"; `*_test.py` hides etl_test.py; `tmp/` is a folder at any
// depth; `scratch` is a base name (the folder), not a substring.
const IGNORE = 'legacy_.*\n*_test.py\ntmp/\nscratch\n';
const FILES = ['main.py', 'legacy_report.py', 'etl_test.py', 'tmp/a.py', 'scratch/x.py', 'my_scratch_pad.py'];
const REGEXP_SET = ['etl_test', 'main'];
const GLOB_SET = ['legacy_report', 'main', 'my_scratch_pad'];

const config = (airflow: string) => `version: 1\nairflow:\n${airflow}roles:\n  sales:\n    tags: [sales_edit]\n`;

function workspace(airflow: string | null): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-ignore-syntax-'));
  fs.writeFileSync(path.join(root, '.airflowignore'), IGNORE);
  if (airflow !== null) fs.writeFileSync(path.join(root, 'airflow-access.yaml'), config(airflow));
  for (const rel of FILES) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    const id = path.basename(rel, '.py');
    fs.writeFileSync(path.join(root, rel), `from airflow import DAG\nwith DAG("${id}", tags=["sales_edit"]) as dag:\n    pass\n`);
  }
  return root;
}

async function dagIds(airflow: string | null, env: NodeJS.ProcessEnv = {}): Promise<{ ids: string[]; ada092: string[]; source: string }> {
  const root = workspace(airflow);
  const project = await Project.open(root, parseSettings({ safeMode: false }).settings, { env });
  try {
    const ids = project.allDags().map((d) => (d.dag.dagId.kind === 'static' ? d.dag.dagId.value : '?')).sort();
    const ada092 = runConfigRules(project).filter((f) => f.code === 'ADA092').map((f) => f.message);
    return { ids, ada092, source: project.ignoreSyntax().source };
  } finally {
    await project.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('Airflow 2.10: .airflowignore lines are regexps (the invalid `*_test.py` is ADA092 and ignores nothing)', async () => {
  const r = await dagIds('  version: "2.10"\n');
  assert.deepEqual(r.ids, REGEXP_SET);
  assert.equal(r.ada092.length, 1);
  assert.match(r.ada092[0]!, /invalid regexp pattern "\*_test\.py"/);
  assert.doesNotMatch(r.ada092[0]!, /no Airflow version is known/, 'the version decided it: no hint');
  assert.equal(r.source, 'version');
});

test('Airflow 3.0: the same lines are globs (gitignore style), a different DAG set, no ADA092', async () => {
  const r = await dagIds('  version: "3.0"\n');
  assert.deepEqual(r.ids, GLOB_SET);
  assert.deepEqual(r.ada092, []);
});

test('airflow.dag_ignore_file_syntax overrides the version default, both ways', async () => {
  assert.deepEqual((await dagIds('  version: "3.0"\n  dag_ignore_file_syntax: regexp\n')).ids, REGEXP_SET);
  const r = await dagIds('  version: "2.10"\n  dag_ignore_file_syntax: glob\n');
  assert.deepEqual(r.ids, GLOB_SET);
  assert.equal(r.source, 'config');
});

test('no version known: regexp is assumed and ADA092 says how to choose; AIRFLOW__CORE__DAG_IGNORE_FILE_SYNTAX decides when set', async () => {
  const r = await dagIds(null);
  assert.deepEqual(r.ids, REGEXP_SET);
  assert.equal(r.source, 'assumed');
  assert.match(r.ada092[0]!, /no Airflow version is known.*set airflow\.version or airflow\.dag_ignore_file_syntax/);
  const env = await dagIds(null, { AIRFLOW__CORE__DAG_IGNORE_FILE_SYNTAX: 'glob' });
  assert.deepEqual(env.ids, GLOB_SET);
  assert.equal(env.source, 'environment');
});

test('precedence: the config key, then a valid environment value (an unknown one is not used), then the version', () => {
  assert.deepEqual(ignoreSyntaxFor(undefined, 'GLOB ', null), { syntax: 'glob', source: 'environment' });
  assert.deepEqual(ignoreSyntaxFor(undefined, 'fnmatch', '3.1'), { syntax: 'glob', source: 'version' });
  assert.deepEqual(ignoreSyntaxFor(undefined, undefined, '2.11'), { syntax: 'regexp', source: 'version' });
  assert.deepEqual(ignoreSyntaxFor('regexp', 'glob', '3.0'), { syntax: 'regexp', source: 'config' });
});

test('typing another Airflow version into the config rescans with the other syntax', async () => {
  const root = workspace('  version: "2.10"\n');
  const project = await Project.open(root, parseSettings({ safeMode: false }).settings, { env: {}, rescanDelayMs: 20 });
  const ids = () => project.allDags().map((d) => (d.dag.dagId.kind === 'static' ? d.dag.dagId.value : '?')).sort();
  try {
    assert.deepEqual(ids(), REGEXP_SET);
    await project.reloadConfig(config('  version: "3.0"\n'));
    await project.whenIndexed();
    assert.deepEqual(ids(), GLOB_SET);
    // A setting naming the version wins over the config's.
    await project.updateSettings(parseSettings({ safeMode: false, airflowVersion: '2.9' }).settings);
    await project.whenIndexed();
    assert.deepEqual(ids(), REGEXP_SET);
  } finally {
    await project.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('no version in the settings or the config: the database\'s Airflow (alembic_version) decides, once connected', async () => {
  const root = workspace('  auth_manager: fab\n');
  const dbFile = path.join(root, '.airflow', 'airflow.db');
  await createDemoDatabase(dbFile, { airflowVersion: '3.0', dags: [] });
  const settings = parseSettings({ safeMode: false, database: { url: `sqlite:///${dbFile}` } }).settings;
  const project = await Project.open(root, settings, { env: {}, connectDb: true });
  try {
    assert.equal(project.db.status, 'connected', project.db.message ?? '');
    assert.deepEqual(project.ignoreSyntax(), { syntax: 'glob', source: 'version' });
    assert.deepEqual(project.allDags().map((d) => (d.dag.dagId.kind === 'static' ? d.dag.dagId.value : '?')).sort(), GLOB_SET);
  } finally {
    await project.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

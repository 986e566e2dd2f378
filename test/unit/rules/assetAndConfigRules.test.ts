import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { findings } from './helpers';
import { memFindings } from './memoryContext';
import { applyEdits } from '../../helpers/lspClient';

const MT = `version: 1
airflow:
  version: "3.3"
  multi_team: true
teams:
  team_a:
    paths: ["dags/a/**"]
  team_b:
    paths: ["dags/b/**"]
roles:
  sales:
    tags: [sales_edit, shared_read]
  audit:
    tags: [shared_read, unused_read]
`;

const ASSETS = `from airflow.sdk import Asset, AssetAccessControl
events = Asset(name="events", allow_producer_teams=["team_a"])
strict = Asset(name="strict", access_control=AssetAccessControl(producer_teams=["team_c"]))
`;

test('ADA015: allow_producer_teams is deprecated; the fix migrates it and imports AssetAccessControl only when missing', async () => {
  const [f] = await memFindings({ 'airflow-access.yaml': MT, 'dags/assets.py': ASSETS }, 'dags/assets.py', 'ADA015');
  assert.deepEqual(f.tags, ['deprecated']);
  const fix = f.fixes![0];
  assert.equal(fix.edits[0].newText, 'access_control=AssetAccessControl(producer_teams=["team_a"])');
  assert.equal(fix.edits.length, 1, 'AssetAccessControl is already imported');
  const [g] = await memFindings({ 'airflow-access.yaml': MT, 'dags/assets.py': 'from airflow.sdk import Asset\nx = Asset(name="x", allow_producer_teams=["team_a"])\n' }, 'dags/assets.py', 'ADA015');
  assert.equal(g.fixes![0].edits[1].newText, ', AssetAccessControl');
});

test('ADA016: unknown team with did-you-mean', async () => {
  const out = await memFindings({ 'airflow-access.yaml': MT, 'dags/assets.py': ASSETS }, 'dags/assets.py', 'ADA016');
  assert.equal(out.length, 1);
  assert.match(out[0].message, /Team 'team_c'/);
});

test('ADA016: from Airflow 3.4 team names are compared lower-cased; before, a case difference is an unknown team', async () => {
  const assets = 'from airflow.sdk import Asset, AssetAccessControl\nx = Asset(name="x", access_control=AssetAccessControl(producer_teams=["Team_A"]))\n';
  const on34 = await memFindings({ 'airflow-access.yaml': MT.replace('"3.3"', '"3.4"'), 'dags/assets.py': assets }, 'dags/assets.py', 'ADA016');
  assert.equal(on34.length, 0);
  const [on33] = await memFindings({ 'airflow-access.yaml': MT, 'dags/assets.py': assets }, 'dags/assets.py', 'ADA016');
  assert.match(on33.message, /Team 'Team_A'.*case-sensitive.*Did you mean 'team_a'/);
});

// ADA017 on disk: cross-team events follow assets imported from another file (the index resolves imports).
test('ADA017: from Airflow 3.4 a producer team listed in another case still delivers', async () => {
  const files = (version: string) => ({
    'airflow-access.yaml': MT.replace('"3.3"', `"${version}"`),
    'dags/shared.py': 'from airflow.sdk import Asset, AssetAccessControl\nevents = Asset(name="events", access_control=AssetAccessControl(producer_teams=["TEAM_B"]))\n',
    'dags/b/prod.py': 'from airflow.sdk import DAG, task\nfrom shared import events\nwith DAG("prod_b"):\n    @task(outlets=[events])\n    def t():\n        pass\n',
    'dags/a/cons.py': 'from airflow.sdk import DAG\nfrom shared import events\nwith DAG("cons_a", schedule=[events]):\n    pass\n',
  });
  assert.equal((await findings(files('3.4'), 'dags/a/cons.py', 'ADA017')).length, 0);
  const [blocked] = await findings(files('3.3'), 'dags/a/cons.py', 'ADA017');
  assert.match(blocked.message, /'team_b' is not in producer_teams/);
});

test('ADA017: consumer_teams unset or None filters nothing, [] blocks every other team (3.3, apache/airflow#68242)', async () => {
  const files = (consumer: string) => ({
    'airflow-access.yaml': MT,
    'dags/a/assets.py': `from airflow.sdk import Asset, AssetAccessControl\nout_a = Asset(name="events", access_control=AssetAccessControl(${consumer}))\n`,
    'dags/a/prod.py': 'from airflow.sdk import DAG, task\nfrom assets import out_a\nwith DAG("prod_a"):\n    @task(outlets=[out_a])\n    def t():\n        pass\n',
    'dags/b/cons.py': 'from airflow.sdk import DAG, Asset, AssetAccessControl\nwith DAG("cons_b", schedule=[Asset(name="events", access_control=AssetAccessControl(producer_teams=["team_a"]))]):\n    pass\n',
  });
  for (const consumer of ['', 'consumer_teams=None', 'consumer_teams=["team_b"]']) {
    assert.deepEqual(await findings(files(consumer), 'dags/a/prod.py', 'ADA017'), [], consumer || 'unset');
  }
  const [blocked] = await findings(files('consumer_teams=[]'), 'dags/a/prod.py', 'ADA017');
  assert.match(blocked?.message ?? '', /'team_b' is not in the producer's consumer_teams/);
});

test('ADA017: a blocked cross-team event is reported on the producer outlet and the consumer schedule', async () => {
  const files = {
    'airflow-access.yaml': MT,
    'dags/shared.py': 'from airflow.sdk import Asset\nevents = Asset(name="events", allow_producer_teams=["team_a"])\n',
    'dags/b/prod.py': 'from airflow.sdk import DAG, task\nfrom shared import events\nwith DAG("prod_b"):\n    @task(outlets=[events])\n    def t():\n        pass\n',
    'dags/a/cons.py': 'from airflow.sdk import DAG\nfrom shared import events\nwith DAG("cons_a", schedule=[events]):\n    pass\n',
  };
  const prod = await findings(files, 'dags/b/prod.py', 'ADA017');
  const cons = await findings(files, 'dags/a/cons.py', 'ADA017');
  assert.equal(prod.length, 1, JSON.stringify(prod));
  assert.equal(cons.length, 1);
  assert.match(cons[0].message, /team_b/);
});

test('config rules: unused tag (ADA020), shared tag (ADA021), multi_team without teams (ADA018)', async () => {
  const out = await memFindings({ 'airflow-access.yaml': MT, 'dags/a/d.py': 'from airflow import DAG\nwith DAG("d", tags=["sales_edit", "shared_read"]):\n    pass\n' }, 'airflow-access.yaml');
  assert.ok(out.some((f) => f.code === 'ADA020' && /unused_read/.test(f.message)));
  assert.equal(out.filter((f) => f.code === 'ADA021').length, 2);
  const noTeams = await memFindings({ 'airflow-access.yaml': 'version: 1\nairflow:\n  multi_team: true\nroles:\n  r:\n    tags: [x_read]\n' }, 'airflow-access.yaml', 'ADA018');
  assert.equal(noTeams.length, 1);
});

test('config schema problems: errors at their YAML range (ADA090), bad permission names (ADA022)', async () => {
  const out = await memFindings({ 'airflow-access.yaml': 'version: 1\nroles:\n  r:\n    tags: [x_read]\n    dag_permissions: [can_reed]\n    colour: red\n' }, 'airflow-access.yaml');
  const perm = out.find((f) => f.code === 'ADA022')!;
  assert.equal(perm.severity, 'error');
  assert.deepEqual(perm.range.start, { line: 4, character: 22 });
  const key = out.find((f) => f.code === 'ADA090')!;
  assert.match(key.message, /colour/);
  assert.equal(key.range.start.line, 5);
});

test('every "did you mean" in the config comes with its fix: ADA022 permission, unknown key, base_role; applied, the config loads clean', async () => {
  const text = 'version: 1\nroles:\n  r:\n    tags: [x_read]\n    dag_permissions: [can_raed, "can_edit"]\n    clenup: true\n    base_role: Veiwer\n';
  const out = await memFindings({ 'airflow-access.yaml': text }, 'airflow-access.yaml');
  const fixOf = (code: string, word: string) => out.find((f) => f.code === code && f.message.includes(word))?.fixes?.find((x) => x.isPreferred);
  const perm = fixOf('ADA022', 'can_raed');
  assert.equal(perm?.title, "Replace with 'can_read'");
  const key = fixOf('ADA090', 'clenup');
  assert.equal(key?.title, "Replace with 'cleanup'");
  const fixed = applyEdits(text, [perm!, key!].flatMap((f) => f.edits));
  assert.equal(fixed, 'version: 1\nroles:\n  r:\n    tags: [x_read]\n    dag_permissions: [can_read, "can_edit"]\n    cleanup: true\n    base_role: Veiwer\n');
  // Valid now but for the base role, which is checked once the schema passes.
  const next = await memFindings({ 'airflow-access.yaml': fixed }, 'airflow-access.yaml');
  const base = next.find((f) => f.message.includes("base_role 'Veiwer'"))?.fixes?.find((x) => x.isPreferred);
  assert.equal(base?.title, "Replace with 'Viewer'");
  const clean = applyEdits(fixed, base!.edits);
  const again = await memFindings({ 'airflow-access.yaml': clean }, 'airflow-access.yaml');
  assert.deepEqual(again.filter((f) => f.severity === 'error' || /Did you mean/.test(f.message)).map((f) => f.message), []);
});

test('ADA021: 300 roles sharing one tag: each finding names 5 other roles and a count (linear output)', async () => {
  const n = 300;
  const roles = Array.from({ length: n }, (_, i) => `  r${i}:\n    tags: [shared_read]\n`).join('');
  const out = (await memFindings({ 'airflow-access.yaml': `version: 1\nroles:\n${roles}` }, 'airflow-access.yaml')).filter((f) => f.code === 'ADA021');
  assert.equal(out.length, n);
  assert.equal(out.reduce((k, f) => k + f.related!.length, 0), 5 * n);
  assert.equal(out[2].message, "Tag 'shared_read' also grants 'r0', 'r1', 'r3', 'r4', 'r5' and 294 more roles.");
});

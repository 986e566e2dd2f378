/**
 * The MWAA sync DAG as the config: named in the settings (any command, the editor) or, without
 * airflow-access.yaml, discovered among the workspace's DAG files, with a one-line notice.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project } from '../../../server/src/project/project';
import { parseSettings } from '../../../server/src/settings';
import { fixturesDir } from '../../helpers/paths';

function copyMwaa(): string {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ada-mwaa-')), 'ws');
  fs.cpSync(path.join(fixturesDir, 'mwaa'), root, { recursive: true });
  return root;
}
const roleNames = (p: Project) => p.config?.roles.map((r) => r.name);

test('configPath naming the sync DAG: the roles load, no problem (no "needs the Python parser" error)', async () => {
  const root = copyMwaa();
  const project = await Project.open(root, parseSettings({ configPath: 'dags/permission_sync.py' }).settings);
  try {
    assert.deepEqual(project.configProblems, []);
    assert.deepEqual(roleNames(project), ['analytics_reporting', 'marketing_analyst']);
    assert.equal(project.configNotice, null, 'a named config needs no notice');
    const dag = project.table.dagsWithId('analytics_reporting_dag')[0];
    const access = project.dagAccess(dag.file, dag.dag)!;
    assert.ok(access.roles.some((r) => r.role === 'analytics_reporting' && r.dagActions.includes('can_edit')), JSON.stringify(access.roles.map((r) => r.role)));
  } finally {
    await project.dispose();
  }
});

test('no airflow-access.yaml: the DAG file defining role_mappings is used, with a one-line notice naming it', async () => {
  const root = copyMwaa();
  const project = await Project.open(root, parseSettings({}).settings);
  try {
    assert.equal(project.configFile, path.join(root, 'dags', 'permission_sync.py'));
    assert.equal(project.configNotice, 'No airflow-access.yaml: using the role_mappings list of dags/permission_sync.py.');
    assert.deepEqual(roleNames(project), ['analytics_reporting', 'marketing_analyst']);
    // Creating airflow-access.yaml takes over at the next reload.
    fs.writeFileSync(path.join(root, 'airflow-access.yaml'), 'version: 1\nroles:\n  only_me: {tags: [x_edit]}\n');
    await project.reloadConfig();
    assert.deepEqual(roleNames(project), ['only_me']);
    assert.equal(project.configNotice, null);
  } finally {
    await project.dispose();
  }
});

test('discovery names the other candidates and ignores role_mappings that is not a module-level list', async () => {
  const root = copyMwaa();
  fs.writeFileSync(path.join(root, 'dags', 'zz_copy.py'), fs.readFileSync(path.join(root, 'dags', 'permission_sync.py')));
  fs.writeFileSync(path.join(root, 'dags', 'aa_other.py'), 'def f(role_mappings):\n    role_mappings = []\n# role_mappings = [\n');
  const project = await Project.open(root, parseSettings({}).settings, { scan: false });
  try {
    assert.equal(project.configNotice, 'No airflow-access.yaml: using the role_mappings list of dags/permission_sync.py (1 other file(s) also define role_mappings: dags/zz_copy.py).');
  } finally {
    await project.dispose();
  }
});

test('a configured path that does not exist is not replaced by discovery', async () => {
  const root = copyMwaa();
  const project = await Project.open(root, parseSettings({ configPath: 'conf/access.yaml' }).settings, { scan: false });
  try {
    assert.equal(project.configFile, null);
    assert.equal(project.configNotice, null);
  } finally {
    await project.dispose();
  }
});

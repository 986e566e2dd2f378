/** The seed's role_mappings format works as-is, from YAML and from the Python sync DAG, and converts to v1. */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Parser } from 'web-tree-sitter';
import { createPythonParser } from '../../../server/src/parsing/treeSitter';
import { loadConfigFile, loadConfigText } from '../../../server/src/config/load';
import { configToV1Yaml } from '../../../server/src/config/toV1Yaml';
import type { AccessConfig } from '../../../server/src/model/config';
import { examplesDir, fixturesDir, sharedDir } from '../../helpers/paths';

const dir = path.join(fixturesDir, 'config');
const rolesOf = (c: AccessConfig) =>
  c.roles.map((r) => ({ name: r.name, tags: r.tags.map((t) => t.value), perms: r.dagPermissions.map((p) => p.value), runs: r.dagRunPermissions.map((p) => p.value), cleanup: r.cleanup, base: r.baseRole }));
const expectedRoles = [
  { name: 'finance_auditor', tags: ['finance_read'], perms: ['can_read'], runs: [], cleanup: false, base: 'Viewer' },
  { name: 'platform_engineer', tags: ['platform_edit'], perms: ['can_read', 'can_edit', 'can_delete'], runs: [], cleanup: true, base: 'Viewer' },
];

let parser: Parser;
before(async () => { parser = await createPythonParser(); });

describe('seed formats', () => {
  test('seed YAML: role_mappings normalise into roles (do_cleanup defaults to true)', () => {
    const r = loadConfigFile(path.join(dir, 'seed-role-mappings.yaml'));
    assert.deepEqual(r.problems, []);
    assert.equal(r.config!.format, 'seed-yaml');
    assert.deepEqual(rolesOf(r.config!), expectedRoles);
    assert.deepEqual(r.config!.roles[0].tags[0].range, { start: { line: 4, character: 24 }, end: { line: 4, character: 36 } });
  });

  test('seed Python: the same roles, read from the role_mappings literal with ranges into the .py file', () => {
    const file = path.join(dir, 'sync_permissions_dag.py');
    const r = loadConfigText(file, fs.readFileSync(file, 'utf8'), { pythonParser: parser });
    assert.deepEqual(r.problems, []);
    assert.equal(r.config!.format, 'seed-python');
    assert.deepEqual(rolesOf(r.config!), expectedRoles);
    assert.deepEqual(r.config!.roles[1].nameRange, { start: { line: 24, character: 28 }, end: { line: 24, character: 47 } });
  });

  test('seed Python: a value that is not static is a located problem, not a guess', () => {
    const text = 'TAGS = make()\nrole_mappings = [{"x": {"airflow_role": "r", "airflow_edit_tag": TAGS}}]\n';
    const r = loadConfigText('/ws/sync.py', text, { pythonParser: parser });
    const p = r.problems.find((x) => x.code === 'seed-python-dynamic')!;
    assert.deepEqual(p.range, { start: { line: 1, character: 65 }, end: { line: 1, character: 69 } });
  });

  test('seed Python: unknown keys inside an entry get did-you-mean at the key', () => {
    const text = 'role_mappings = [{"x": {"airflow_role": "r", "airflow_edit_tags": "t"}}]\n';
    const r = loadConfigText('/ws/sync.py', text, { pythonParser: parser });
    const p = r.problems.find((x) => x.code === 'unknown-key')!;
    assert.match(p.message, /Did you mean 'airflow_edit_tag'/);
    assert.deepEqual(p.range, { start: { line: 0, character: 45 }, end: { line: 0, character: 64 } });
  });

  test('the MWAA seed sync DAG (../shared seed 000) loads as-is', { skip: fs.existsSync(path.join(sharedDir, 'seeds')) ? false : 'needs ../shared/seeds' }, () => {
    const name = fs.readdirSync(path.join(sharedDir, 'seeds')).find((f) => f.startsWith('000_'))!;
    const text = fs.readFileSync(path.join(sharedDir, 'seeds', name), 'utf8');
    const code = text.slice(text.indexOf('from airflow import DAG'), text.indexOf('Step 3:'));
    const r = loadConfigText('/ws/manage_dag_permissions.py', code, { pythonParser: parser });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.config!.roles.map((x) => [x.name, x.tags[0].value, x.dagPermissions.length, x.cleanup]), [
      ['analytics_reporting', 'analytics_reporting_edit', 3, true],
      ['marketing_analyst', 'marketing_analyst_edit', 3, true],
    ]);
  });
});

describe('configToV1Yaml round trip', () => {
  test('seed YAML -> v1 YAML -> the same roles', () => {
    const seed = loadConfigFile(path.join(dir, 'seed-role-mappings.yaml')).config!;
    const text = configToV1Yaml(seed);
    const back = loadConfigText('/ws/airflow-access.yaml', text);
    assert.deepEqual(back.problems, []);
    assert.equal(back.config!.format, 'v1');
    assert.deepEqual(rolesOf(back.config!), expectedRoles);
  });

  for (const example of ['airflow-access.yaml', 'multi-team/airflow-access.yaml']) {
    test(`v1 example ${example} survives a round trip`, () => {
      const file = path.join(examplesDir, example);
      const a = loadConfigFile(file).config!;
      const b = loadConfigText(file, configToV1Yaml(a)).config!;
      assert.deepEqual(rolesOf(b), rolesOf(a));
      assert.deepEqual(b.airflow, a.airflow);
      assert.deepEqual(b.teams.map((t) => [t.name, t.paths, t.bundles]), a.teams.map((t) => [t.name, t.paths, t.bundles]));
      assert.equal(b.permissionTagPattern?.source, a.permissionTagPattern?.source);
    });
  }
});

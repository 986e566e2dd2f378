/** Both list shapes of the seed's role_mappings (nested and flat), and the error for any other shape. */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Parser } from 'web-tree-sitter';
import { createPythonParser } from '../../../server/src/parsing/treeSitter';
import { loadConfigFile, loadConfigText } from '../../../server/src/config/load';
import type { AccessConfig } from '../../../server/src/model/config';
import { fixturesDir } from '../../helpers/paths';

const mwaa = path.join(fixturesDir, 'mwaa');
const rolesOf = (c: AccessConfig) => c.roles.map((r) => [r.name, r.tags.map((t) => t.value).join(','), r.dagPermissions.map((p) => p.value).join(','), r.cleanup]);
const SEED_ROLES = [
  ['analytics_reporting', 'analytics_reporting_edit', 'can_read,can_edit,can_delete', true],
  ['marketing_analyst', 'marketing_analyst_edit', 'can_read,can_edit,can_delete', true],
];

let parser: Parser;
before(async () => { parser = await createPythonParser(); });

describe('role_mappings list shapes', () => {
  test('the fixture sync DAG (nested shape, seed 000 content) gives the two roles', () => {
    const file = path.join(mwaa, 'dags', 'permission_sync.py');
    const r = loadConfigText(file, fs.readFileSync(file, 'utf8'), { pythonParser: parser });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(rolesOf(r.config!), SEED_ROLES);
  });

  test('flat YAML entries give the same roles, ranges point at the flat keys', () => {
    const r = loadConfigFile(path.join(mwaa, 'flat-role-mappings.yaml'));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(rolesOf(r.config!), SEED_ROLES);
    // line 3 (0-based 2): `  - {airflow_role: analytics_reporting, ...`: the role name value
    assert.deepEqual(r.config!.roles[0].nameRange.start, { line: 2, character: 19 });
  });

  test('the issue\'s flat list (YAML flow and Python dicts) is read, do_cleanup as given', () => {
    const y = loadConfigText('/ws/a.yaml', 'role_mappings: [{airflow_role: sales_team, airflow_edit_tag: sales_edit, permissions: [can_read, can_edit], do_cleanup: false}]\n');
    assert.deepEqual(y.problems, []);
    assert.deepEqual(rolesOf(y.config!), [['sales_team', 'sales_edit', 'can_read,can_edit', false]]);
    const p = loadConfigText('/ws/s.py', 'role_mappings = [{"airflow_role": "sales_team", "airflow_edit_tag": "sales_edit"}]\n', { pythonParser: parser });
    assert.deepEqual(p.problems, []);
    assert.deepEqual(rolesOf(p.config!), [['sales_team', 'sales_edit', 'can_read', true]]);
  });

  test('a flat entry with a misspelt key: did-you-mean at the key, the other entries still load', () => {
    const r = loadConfigText('/ws/a.yaml', 'role_mappings:\n  - {airflow_role: x, airflow_edit_tag: t, permisions: [can_read]}\n  - {airflow_role: y, airflow_edit_tag: u}\n');
    assert.deepEqual(r.problems.map((p) => [p.range.start.line, p.range.start.character, p.message]), [[1, 43, "Unknown key 'permisions' at 'role_mappings.0'. Did you mean 'permissions'?"]]);
    assert.deepEqual(r.config!.roles.map((x) => x.name), ['y']);
  });

  test('any other shape: a located error showing both accepted shapes with a two-line example each (YAML)', () => {
    const r = loadConfigText('/ws/a.yaml', 'role_mappings:\n  - [sales_team, sales_edit]\n');
    assert.equal(r.problems.length, 1);
    const p = r.problems[0];
    assert.deepEqual([p.code, p.severity, p.range.start], ['seed-entry-shape', 'error', { line: 1, character: 4 }]);
    assert.equal(p.message, [
      'role_mappings entry 1 is a list; each entry must have one of two shapes:',
      '  nested (a label, then the mapping):',
      '    - sales: {airflow_role: sales_team, airflow_edit_tag: sales_edit,',
      '              permissions: [can_read], do_cleanup: true}',
      '  flat (the mapping itself):',
      '    - {airflow_role: sales_team, airflow_edit_tag: sales_edit,',
      '       permissions: [can_read], do_cleanup: true}',
    ].join('\n'));
  });

  test('the examples in the shape error are themselves valid entries of their format', () => {
    const yamlMsg = loadConfigText('/ws/a.yaml', 'role_mappings: [7]\n').problems[0].message;
    const yamlExamples = yamlMsg.split('\n').filter((l) => l.startsWith('    ')).map((l) => l.slice(2));
    assert.equal(yamlExamples.length, 4);
    for (const example of [yamlExamples.slice(0, 2), yamlExamples.slice(2)]) {
      const y = loadConfigText('/ws/b.yaml', `role_mappings:\n${example.join('\n')}\n`);
      assert.deepEqual(y.problems, []);
      assert.deepEqual(rolesOf(y.config!), [['sales_team', 'sales_edit', 'can_read', true]]);
    }
    const pyMsg = loadConfigText('/ws/s.py', 'role_mappings = ["x"]\n', { pythonParser: parser }).problems[0].message;
    assert.match(pyMsg, /^role_mappings entry 1 is the string 'x'; each entry must have one of two shapes:\n/);
    const pyExamples = pyMsg.split('\n').filter((l) => l.startsWith('    ')).map((l) => l.slice(4));
    assert.equal(pyExamples.length, 4);
    for (const example of [pyExamples.slice(0, 2), pyExamples.slice(2)]) {
      const p = loadConfigText('/ws/t.py', `role_mappings = [\n${example.join('\n')}\n]\n`, { pythonParser: parser });
      assert.deepEqual(p.problems, []);
      assert.deepEqual(rolesOf(p.config!), [['sales_team', 'sales_edit', 'can_read', true]]);
    }
  });

  test('a mapping that is neither shape names its keys', () => {
    const r = loadConfigText('/ws/a.yaml', 'role_mappings:\n  - {role: sales_team, tag: sales_edit}\n');
    assert.match(r.problems[0].message, /^role_mappings entry 1 is a mapping with the keys role, tag; each entry must have one of two shapes:/);
    assert.equal(r.problems.some((p) => p.code === 'seed-empty'), false, 'not also "role_mappings is empty"');
  });
});

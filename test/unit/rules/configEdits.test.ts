/**
 * "Add '<tag>' to airflow-access.yaml as role '<role>'": the edited config must load without errors
 * and map the tag, whatever style the roles map is written in (block, flow, CRLF).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadConfigText } from '../../../server/src/config/load';
import { addRoleEdit } from '../../../server/src/rules/configEdits';
import { applyEdits } from '../../helpers/lspClient';

const FILE = '/ws/airflow-access.yaml';

function addTo(text: string, tag: string): string {
  const loaded = loadConfigText(FILE, text);
  assert.ok(loaded.config, JSON.stringify(loaded.problems));
  const out = applyEdits(text, [addRoleEdit(loaded.config, text, tag)]);
  const again = loadConfigText(FILE, out);
  assert.deepEqual(again.problems.filter((p) => p.severity === 'error'), [], out);
  assert.ok(again.config!.roles.some((r) => r.tags.some((t) => t.value === tag)), `no role maps ${tag} in:\n${out}`);
  assert.equal(again.config!.roles.length, loaded.config.roles.length + 1, out);
  return out;
}

test('block style: a new entry after the last role, at its indentation', () => {
  const out = addTo('version: 1\nroles:\n  finance:\n    tags: [finance_read]\n    dag_permissions: [can_read]\ndags:\n  exclude: []\n', 'sales_edit');
  assert.match(out, /\n {2}sales:\n {4}tags: \[sales_edit\]\n {4}dag_permissions: \[can_read, can_edit, can_delete\]\ndags:/);
});

test('flow style: inside the map, on one line, with or without a trailing comma, and over several lines', () => {
  assert.equal(
    addTo('roles: {finance: {tags: [finance_read], dag_permissions: [can_read]}}\n', 'sales_edit'),
    'roles: {finance: {tags: [finance_read], dag_permissions: [can_read]}, sales: {tags: [sales_edit], dag_permissions: [can_read, can_edit, can_delete]}}\n',
  );
  assert.equal(
    addTo('roles: {finance: {tags: [finance_read]},}\n', 'ops_read'),
    'roles: {finance: {tags: [finance_read]}, ops: {tags: [ops_read], dag_permissions: [can_read]}}\n',
  );
  addTo('{version: 1, roles: {\n  finance: {tags: [finance_read]},\n  audit: {tags: [audit_read]}\n}}\n', 'sales_edit');
});

test('CRLF files get CRLF lines; names YAML would misread are quoted', () => {
  const out = addTo('version: 1\r\nroles:\r\n  finance:\r\n    tags: [finance_read]\r\n', 'team#1: edit');
  assert.ok(!/[^\r]\n/.test(out), JSON.stringify(out));
  assert.match(out, /tags: \["team#1: edit"\]/);
  addTo('roles:\n  finance: {tags: [finance_read]}\n', 'yes');
});

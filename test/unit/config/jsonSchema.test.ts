/**
 * The committed JSON Schema (shipped for the YAML extension) must match the zod schema.
 * Regenerate with: UPDATE_SCHEMA=1 node --test out/test/unit/config/jsonSchema.test.js
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { configJsonSchema } from '../../../server/src/config/schema';
import { repoRoot } from '../../helpers/paths';

const schemaFile = path.join(repoRoot, 'schemas', 'airflow-access.schema.json');

test('schemas/airflow-access.schema.json is generated from the zod schema and up to date', () => {
  const expected = JSON.stringify(configJsonSchema(), null, 2) + '\n';
  if (process.env.UPDATE_SCHEMA === '1') fs.writeFileSync(schemaFile, expected);
  const actual = fs.existsSync(schemaFile) ? fs.readFileSync(schemaFile, 'utf8') : '';
  assert.equal(actual, expected, 'JSON Schema is out of date: run the config tests with UPDATE_SCHEMA=1');
});

test('the JSON Schema rejects unknown keys and lists the permission names for completion', () => {
  const s = configJsonSchema() as any;
  assert.equal(s.additionalProperties, false);
  const role = s.properties.roles.additionalProperties;
  assert.deepEqual(role.properties.dag_permissions.items.enum, ['can_read', 'can_edit', 'can_delete']);
  assert.deepEqual(role.properties.dag_run_permissions.items.enum, ['can_read', 'can_create', 'can_delete', 'menu_access']);
  assert.equal(s.properties.roles.propertyNames.maxLength, 64);
  assert.deepEqual(s.properties.airflow.properties.auth_manager.enum, ['fab', 'file', 'simple', 'keycloak', 'aws']);
});

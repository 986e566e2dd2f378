/**
 * package.json `contributes.configuration` must mirror the zod settings schema in
 * server/src/settings.ts: same keys, types, enums and defaults.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { DEFAULT_SETTINGS, SETTINGS_SECTION, SettingsSchema, parseSettings, redactUrl, stripPassword } from '../../../server/src/settings';
import { SETTINGS_SECTION as CLIENT_SECTION } from '../../../client/src/constants';
import { pkg } from './manifestHelpers';

interface Leaf {
  type: unknown;
  default: unknown;
  enum?: unknown;
}

/** Flattens the schema's JSON Schema to dotted keys; objects with `properties` are namespaces. */
function schemaLeaves(): Map<string, Leaf> {
  const json = z.toJSONSchema(SettingsSchema, { io: 'input' }) as any;
  const out = new Map<string, Leaf>();
  const walk = (node: any, prefix: string) => {
    for (const [key, prop] of Object.entries<any>(node.properties)) {
      const name = `${prefix}${key}`;
      if (prop.type === 'object' && prop.properties) {
        walk(prop, `${name}.`);
        continue;
      }
      const type = prop.anyOf ? prop.anyOf.map((p: any) => p.type) : prop.type;
      const en = prop.enum ?? prop.additionalProperties?.enum;
      out.set(name, { type, default: prop.default, ...(en ? { enum: en } : {}) });
    }
  };
  walk(json, `${SETTINGS_SECTION}.`);
  return out;
}

const contributed: Record<string, any> = pkg.contributes.configuration.properties;

describe('settings: package.json mirrors the zod schema', () => {
  const leaves = schemaLeaves();

  it('uses the same section as the client', () => {
    assert.equal(SETTINGS_SECTION, CLIENT_SECTION);
    assert.equal(SETTINGS_SECTION, 'airflowDagAccess');
  });

  it('has the same keys', () => {
    assert.deepEqual(Object.keys(contributed).sort(), [...leaves.keys()].sort());
  });

  for (const [key, leaf] of schemaLeaves()) {
    it(`${key}: same type, default and enum`, () => {
      const prop = contributed[key];
      assert.ok(prop, `${key} is not contributed`);
      assert.deepEqual(prop.type, leaf.type, 'type');
      assert.deepEqual(prop.default, leaf.default, 'default');
      const en = prop.enum ?? prop.additionalProperties?.enum;
      assert.deepEqual(en, leaf.enum, 'enum');
      assert.ok(prop.markdownDescription || prop.description, 'has a description');
      if (prop.enumDescriptions) assert.equal(prop.enumDescriptions.length, prop.enum.length);
    });
  }

  it('names the trace setting after the client id (vscode-languageclient reads <id>.trace.server)', () => {
    assert.ok(contributed['airflowDagAccess.trace.server']);
  });

  it('defaults match the brief', () => {
    assert.equal(DEFAULT_SETTINGS.configPath, 'airflow-access.yaml');
    assert.equal(DEFAULT_SETTINGS.safeMode, true);
    assert.equal(DEFAULT_SETTINGS.airflowVersion, null);
    assert.equal(DEFAULT_SETTINGS.trace.server, 'off');
    assert.deepEqual(DEFAULT_SETTINGS.diagnostics.severity, {});
  });
});

describe('parseSettings', () => {
  it('returns the defaults for undefined, {} and null', () => {
    for (const raw of [undefined, {}, null]) assert.deepEqual(parseSettings(raw), { settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('keeps valid values', () => {
    const { settings, problems } = parseSettings({
      configPath: 'config/access.yml',
      database: { url: 'postgresql://airflow@db:5432/airflow' },
      dags: { include: ['dags/**/*.py'], exclude: [] },
      safeMode: false,
      airflowVersion: '3.1',
      diagnostics: { severity: { ADA001: 'off', ADA002: 'hint' } },
      trace: { server: 'verbose' },
    });
    assert.deepEqual(problems, []);
    assert.equal(settings.configPath, 'config/access.yml');
    assert.deepEqual(settings.dags.exclude, []);
    assert.equal(settings.airflowVersion, '3.1');
    assert.deepEqual(settings.diagnostics.severity, { ADA001: 'off', ADA002: 'hint' });
    assert.equal(settings.trace.server, 'verbose');
  });

  it('replaces each invalid value by its default and reports it, keeping the others', () => {
    const { settings, problems } = parseSettings({
      configPath: 42,
      safeMode: false,
      airflowVersion: 'three',
      dags: { include: ['ok/*.py', 7] },
      diagnostics: { severity: { ADA001: 'error', ADA002: 'loud' } },
      trace: { server: 'everything' },
    });
    assert.equal(settings.configPath, 'airflow-access.yaml');
    assert.equal(settings.safeMode, false);
    assert.equal(settings.airflowVersion, null);
    assert.deepEqual(settings.dags.include, ['**/*.py']);
    assert.deepEqual(settings.diagnostics.severity, { ADA001: 'error' });
    assert.equal(settings.trace.server, 'off');
    const keys = problems.map((p) => p.split(':')[0]).sort();
    assert.deepEqual(keys, [
      'airflowDagAccess.airflowVersion',
      'airflowDagAccess.configPath',
      'airflowDagAccess.dags.include',
      'airflowDagAccess.diagnostics.severity.ADA002',
      'airflowDagAccess.trace.server',
    ]);
  });

  it('reports a non-object and uses the defaults', () => {
    const { settings, problems } = parseSettings('nope');
    assert.deepEqual(settings, DEFAULT_SETTINGS);
    assert.equal(problems.length, 1);
  });

  it('does not mutate its input', () => {
    const raw = { configPath: 1, dags: { include: [2] } };
    parseSettings(raw);
    assert.deepEqual(raw, { configPath: 1, dags: { include: [2] } });
  });

  it('drops an inline password from database.url and never repeats it', () => {
    const secret = 'p@ss:w0rd';
    const { settings, problems } = parseSettings({ database: { url: `postgresql://airflow:${secret}@db:5432/airflow` } });
    assert.equal(settings.database.url, 'postgresql://airflow@db:5432/airflow');
    assert.equal(problems.length, 1);
    assert.match(problems[0], /database\.url contains a password/);
    assert.ok(!problems[0].includes(secret) && !problems[0].includes('w0rd'));
  });
});

describe('database URL helpers', () => {
  it('stripPassword leaves URLs without a password alone', () => {
    for (const url of ['', 'sqlite:////srv/airflow.db', 'mysql://airflow@db/airflow', 'postgresql+psycopg2://db/airflow']) {
      assert.deepEqual(stripPassword(url), { url, hadPassword: false });
    }
  });

  it('stripPassword handles an unencoded @ in the password', () => {
    assert.deepEqual(stripPassword('mysql://u:a@b@host:3306/db'), { url: 'mysql://u@host:3306/db', hadPassword: true });
  });

  it('redactUrl masks the password', () => {
    assert.equal(redactUrl('postgresql://u:secret@h/db'), 'postgresql://u:***@h/db');
    assert.equal(redactUrl('postgresql://u@h/db'), 'postgresql://u@h/db');
  });
});

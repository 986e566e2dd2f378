/** plan → apply → empty re-plan → cleanup → rollback, on every real fixture, the demo DB and MariaDB. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { createDemoDatabase } from '../../server/src/db/demo';
import { hasShared, metadataFixturesDir, needsShared } from '../helpers/paths';
import { createMariaDb, createPgDb, needsMaria, needsPg, sqliteCopy, tempDir } from '../helpers/dbServers';
import { runScenario } from './scenario';

const fixtures = hasShared ? fs.readdirSync(metadataFixturesDir).sort() : [];
const sqliteFixtures = fixtures.filter((f) => f.endsWith('.sqlite'));
const pgFixtures = fixtures.filter((f) => f.endsWith('.postgres.sql'));

test('fixtures found in ../shared', { skip: needsShared }, () => {
  assert.ok(sqliteFixtures.length >= 3 && pgFixtures.length >= 2, `fixtures: ${fixtures.join(', ')}`);
});

for (const f of hasShared ? sqliteFixtures : ['(sqlite fixtures)']) {
  test(`SQLite fixture ${f}: plan, apply, idempotent, only owned rows, rollback`, { skip: needsShared }, async () => {
    const copy = sqliteCopy(path.join(metadataFixturesDir, f));
    try {
      const r = await runScenario(copy.url);
      assert.ok(r.added > 0);
    } finally {
      await copy.drop();
    }
  });
}

for (const f of hasShared ? pgFixtures : ['(postgres fixtures)']) {
  test(`PostgreSQL fixture ${f}: plan, apply, idempotent, only owned rows, rollback`, { skip: needsShared || needsPg }, async () => {
    const db = await createPgDb(path.join(metadataFixturesDir, f));
    try {
      const r = await runScenario(db.url);
      assert.ok(r.added > 0);
    } finally {
      await db.drop();
    }
  });
  test(`PostgreSQL fixture ${f}: the same with every grant insert on the bulk path (keys dropped and re-added)`, { skip: needsShared || needsPg }, async () => {
    const db = await createPgDb(path.join(metadataFixturesDir, f));
    try {
      assert.ok((await runScenario(db.url, { bulkMinGrants: 1 })).added > 0);
    } finally {
      await db.drop();
    }
  });
}

const demoDags = [
  { dagId: 'sales_daily', tags: ['finance', 'daily'] },
  { dagId: 'sales_weekly', tags: ['finance'] },
  { dagId: 'ml_train', tags: ['ml'] },
  { dagId: 'old_dag', tags: ['finance'], active: false },
];

for (const version of ['2.10', '3.0'] as const) {
  test(`demo SQLite DB (Airflow ${version}, project DDL): full scenario`, async () => {
    const dir = tempDir();
    const file = path.join(dir, 'demo.db');
    try {
      await createDemoDatabase(file, { airflowVersion: version, dags: demoDags });
      const r = await runScenario(`sqlite:///${file}`);
      assert.ok(r.added > 0 && r.revoked > 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`MariaDB (Airflow ${version} schema from project DDL): full scenario`, { skip: needsMaria }, async () => {
    const db = await createMariaDb(version, demoDags);
    try {
      const r = await runScenario(db.url);
      assert.ok(r.added > 0 && r.revoked > 0);
    } finally {
      await db.drop();
    }
  });
}

/**
 * PostgreSQL as production runs it: TLS only, SCRAM passwords (a scratch cluster, test/helpers/scratchPg.ts).
 * The sslmode values behave as in libpq, which Airflow's own connection uses; every failure is one
 * located line that names the fix and never the password.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { openDatabase } from '../../server/src/db/connect';
import { DbError } from '../../server/src/db/errors';
import { testConnection } from '../../server/src/db/testConnection';
import { cleanEnv, runCli } from '../cli/cliRunner';
import { tempDir } from '../helpers/dbServers';
import { scratchPgMissing, startScratchPg, type ScratchPg } from '../helpers/scratchPg';
import { buildDb, roleOf, tagOf } from '../helpers/syntheticDb';

describe('PostgreSQL with TLS and passwords (scratch cluster)', { skip: scratchPgMissing }, () => {
  let pg: ScratchPg;
  const url = (host: string, query: string) => `postgresql://${pg.user}@${host}:${pg.port}/postgres${query ? `?${query}` : ''}`;
  const verified = () => url('localhost', `sslmode=verify-full&sslrootcert=${pg.caFile}`);

  before(async () => {
    pg = await startScratchPg();
    const db = await openDatabase({ url: verified(), password: pg.password, env: {} });
    try {
      await buildDb(db, 40, 3);
    } finally {
      await db.close();
    }
  });
  after(() => pg?.stop());

  async function encrypted(u: string): Promise<boolean> {
    const db = await openDatabase({ url: u, env: { AIRFLOW_ACCESS_DB_PASSWORD: pg.password } });
    try {
      const rows = await db.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return rows[0]!.ssl;
    } finally {
      await db.close();
    }
  }

  async function failure(u: string, password = pg.password): Promise<DbError> {
    const err = await openDatabase({ url: u, env: { AIRFLOW_ACCESS_DB_PASSWORD: password } }).then(
      async (db) => {
        await db.close();
        return null;
      },
      (e: unknown) => e,
    );
    assert.ok(err instanceof DbError, `expected a DbError, got ${String(err)}`);
    assert.doesNotMatch(err.message, /\n/, 'one line');
    assert.ok(!err.message.includes(pg.password), 'no password in the message');
    return err;
  }

  test('verify-full with the CA connects over TLS, and test-connection sees the Airflow schema', async () => {
    assert.equal(await encrypted(verified()), true);
    const r = await testConnection({ url: verified(), env: { AIRFLOW_ACCESS_DB_PASSWORD: pg.password } });
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /40 active DAG/);
  });

  test('no sslmode in the URL: TLS is used when the server offers it, as libpq does for Airflow', async () => {
    assert.equal(await encrypted(url('127.0.0.1', '')), true);
    assert.equal(await encrypted(url('127.0.0.1', 'sslmode=prefer')), true);
  });

  test('require encrypts without checking the certificate; verify-ca checks the CA but not the host name', async () => {
    assert.equal(await encrypted(url('127.0.0.1', 'sslmode=require')), true);
    assert.equal(await encrypted(url('127.0.0.1', `sslmode=verify-ca&sslrootcert=${pg.caFile}`)), true);
  });

  test('verify-full refuses a host name the certificate does not list, and says how to fix it', async () => {
    const err = await failure(url('127.0.0.1', `sslmode=verify-full&sslrootcert=${pg.caFile}`));
    assert.equal(err.code, 'tls');
    assert.match(err.message, /^TLS: the certificate of PostgreSQL airflow@127\.0\.0\.1:\d+\/postgres does not name that host/);
    assert.match(err.message, /verify-ca/);
  });

  test('verify-full without the CA cannot verify the certificate and points at sslrootcert', async () => {
    const err = await failure(url('localhost', 'sslmode=verify-full'));
    assert.equal(err.code, 'tls');
    assert.match(err.message, /cannot verify the certificate .*sslrootcert=/);
  });

  test('sslmode=disable against a server that accepts only TLS says so (not "wrong password")', async () => {
    const err = await failure(url('127.0.0.1', 'sslmode=disable'));
    assert.equal(err.code, 'tls');
    assert.match(err.message, /accepts this user only over TLS/);
  });

  test('a wrong password is an authentication error that shows neither password', async () => {
    const wrong = 'not-the-pw-42';
    const err = await failure(verified(), wrong);
    assert.equal(err.code, 'auth');
    assert.ok(!err.message.includes(wrong));
    const inline = await failure(url('localhost', `sslmode=verify-full&sslrootcert=${pg.caFile}`).replace(`${pg.user}@`, `${pg.user}:${wrong}@`), '');
    assert.equal(inline.code, 'auth');
    assert.ok(!inline.message.includes(wrong));
  });

  test('CLI: sync over verify-full TLS with the password from the environment, then an empty plan; the password never printed', async () => {
    const root = tempDir();
    try {
      const roles = [0, 1, 2].map((r) => `  ${roleOf(r)}:\n    tags: [${tagOf(r)}]\n    dag_permissions: [can_read${r === 1 ? ', can_edit' : ''}]\n`).join('');
      fs.writeFileSync(path.join(root, 'airflow-access.yaml'), `version: 1\nroles:\n${roles}`);
      const env = cleanEnv({ AIRFLOW_ACCESS_DB_PASSWORD: pg.password });
      const sync = await runCli(['sync', '--root', root, '--db', verified(), '--yes', '--no-color'], { env });
      assert.equal(sync.code, 0, sync.stderr + sync.stdout);
      assert.match(sync.stdout, /Applied plan \w+: \d+ grant\(s\) added/);
      const plan = await runCli(['plan', '--root', root, '--db', verified(), '--no-color'], { env });
      assert.equal(plan.code, 0, plan.stderr);
      assert.match(plan.stdout, /No changes\. The database matches the config\./);
      const bad = await runCli(['plan', '--root', root, '--db', verified(), '--no-color'], { env: cleanEnv({ AIRFLOW_ACCESS_DB_PASSWORD: 'wrong-one' }) });
      assert.equal(bad.code, 3);
      assert.match(bad.stderr, /Authentication failed for PostgreSQL airflow@localhost:\d+\/postgres: wrong user or password/);
      assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
      for (const out of [sync, plan, bad]) {
        assert.ok(!(out.stdout + out.stderr).includes(pg.password), 'the password is not printed');
        assert.ok(!(out.stdout + out.stderr).includes('wrong-one'), 'nor the wrong one');
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { openDatabase } from '../../../server/src/db/connect';
import { DbError } from '../../../server/src/db/errors';
import { parseConnectionUrl, redactUrl, resolveUrl } from '../../../server/src/db/url';

test('Airflow sql_alchemy_conn forms parse to the right dialect and target', () => {
  const pg = parseConnectionUrl('postgresql+psycopg2://airflow@db.example:6543/af?sslmode=verify-ca&sslrootcert=/ca.pem', { env: {} });
  assert.ok(pg.dialect === 'postgres');
  assert.ok(pg.host === 'db.example' && pg.port === 6543 && pg.database === 'af' && pg.user === 'airflow');
  assert.deepEqual(pg.tls, { mode: 'verify-ca', rootCert: '/ca.pem', cert: undefined, key: undefined });
  for (const u of ['postgres://a@h/d', 'postgresql://a@h/d']) assert.equal(parseConnectionUrl(u, { env: {} }).dialect, 'postgres');
  for (const u of ['mysql://a@h/d', 'mysql+mysqldb://a@h/d', 'mysql+pymysql://a@h:3307/d']) assert.equal(parseConnectionUrl(u, { env: {} }).dialect, 'mysql');
  assert.deepEqual(parseConnectionUrl('sqlite:////abs/path/airflow.db', { env: {} }), { dialect: 'sqlite', file: '/abs/path/airflow.db', inlinePassword: false, params: {} });
  assert.equal((parseConnectionUrl('sqlite:///rel/airflow.db', { env: {}, baseDir: '/base' }) as { file: string }).file, '/base/rel/airflow.db');
});

test('password: argument beats env beats URL; inline password flagged and redacted', () => {
  const url = 'postgresql://airflow:inl/ne@pw@h/d';
  const a = parseConnectionUrl(url, { env: { AIRFLOW_ACCESS_DB_PASSWORD: 'fromenv' }, password: 'fromarg' });
  assert.ok(a.dialect !== 'sqlite' && a.password === 'fromarg' && a.inlinePassword && a.passwordSource === 'argument');
  const e = parseConnectionUrl(url, { env: { AIRFLOW_ACCESS_DB_PASSWORD: 'fromenv' } });
  assert.ok(e.dialect !== 'sqlite' && e.password === 'fromenv');
  const u = parseConnectionUrl(url, { env: {} });
  assert.ok(u.dialect !== 'sqlite' && u.password === 'inl/ne@pw' && u.host === 'h' && u.database === 'd');
  assert.equal(redactUrl(url), 'postgresql://airflow:***@h/d');
  assert.equal(redactUrl('mysql://u:p%40ss@h:1/d?password=x&charset=utf8'), 'mysql://u:***@h:1/d?password=***&charset=utf8');
});

test('URL from AIRFLOW__DATABASE__SQL_ALCHEMY_CONN when none is given; clear error when missing', () => {
  assert.equal(resolveUrl('', { AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: 'sqlite:////x.db' }), 'sqlite:////x.db');
  assert.throws(() => resolveUrl('', {}), /No database URL/);
  assert.throws(() => parseConnectionUrl('oracle://a@h/d', { env: {} }), /Unsupported database scheme/);
});

test('a TLS file the URL names but that cannot be read fails before connecting, naming the file', async () => {
  for (const url of [
    'postgresql://a@127.0.0.1:1/d?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem',
    'postgresql://a@127.0.0.1:1/d?sslmode=require&sslcert=/nonexistent/client.pem',
    'mysql://a@127.0.0.1:1/d?ssl_ca=/nonexistent/ca.pem',
    'mysql://a@127.0.0.1:1/d?ssl_mode=REQUIRED&ssl_key=/nonexistent/client.key',
  ]) {
    await assert.rejects(openDatabase({ url, env: {}, connectTimeoutMs: 500 }), (e: unknown) => e instanceof DbError && e.code === 'bad-url' && /^Cannot read TLS file \/nonexistent\//.test(e.message), url);
  }
});

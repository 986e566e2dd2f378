/** The CLI's password handling: a password never reaches output; URLs are printed with it masked. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ParsedArgs } from '../../../server/src/cli/args';
import { redactSecrets, resolveDb } from '../../../server/src/cli/dbUrl';
import { toDbError } from '../../../server/src/db/errors';

const args = (options: Record<string, string>): ParsedArgs => ({ options: new Map(Object.entries(options)), positionals: [] });

test('a password from AIRFLOW_ACCESS_DB_PASSWORD never reaches output: a driver message that quotes it is not shown', () => {
  const pw = 'env-pw-Zq81!x';
  const t = resolveDb(args({ db: 'postgresql://airflow@db.example:5432/airflow' }), { AIRFLOW_ACCESS_DB_PASSWORD: pw }, true, '/tmp')!;
  assert.equal(t.password, pw);
  assert.equal(t.inlinePassword, false);
  assert.equal(t.display, 'postgresql://airflow@db.example:5432/airflow');
  // A driver message that echoes the password (as some do for a failed login) is left out whole.
  const e = toDbError(new Error(`FATAL: password "${pw}" rejected for user airflow; retry with ${pw}`), 'PostgreSQL airflow@db.example:5432/airflow', [t.password!]);
  assert.ok(!e.message.includes(pw), e.message);
  assert.match(e.message, /the driver's message is not shown: it quoted a connection setting/);
});

test('--password-env NAME: that variable is the password; an unset NAME is a usage error naming it; words equal to a password are not rewritten', () => {
  const pw = 'named-env-pw-77Qa';
  const t = resolveDb(args({ db: 'mysql://root@127.0.0.1/airflow', 'password-env': 'MY_DB_PW' }), { MY_DB_PW: pw, AIRFLOW_ACCESS_DB_PASSWORD: 'other-Kk3' }, true, '/tmp')!;
  assert.equal(t.password, pw);
  assert.throws(() => resolveDb(args({ db: 'mysql://root@127.0.0.1/airflow', 'password-env': 'NOT_SET_XYZ' }), {}, true, '/tmp'), /--password-env NOT_SET_XYZ: that environment variable is not set/);
  // Masking is for URLs only: rewriting every occurrence of a password like "wrong" garbled messages and told the password.
  resolveDb(args({ db: 'mysql://root@127.0.0.1/airflow' }), { AIRFLOW_ACCESS_DB_PASSWORD: 'wrong' }, true, '/tmp');
  assert.equal(redactSecrets('Authentication failed: wrong user or password.'), 'Authentication failed: wrong user or password.');
});

test('a password inline in --db is masked in the URL wherever a URL is printed', () => {
  const t = resolveDb(args({ db: 'postgresql://airflow:in%2Fline-Pw9@127.0.0.1/airflow' }), {}, true, '/tmp')!;
  assert.equal(t.inlinePassword, true);
  assert.doesNotMatch(t.display, /in%2Fline-Pw9|in\/line-Pw9/);
  assert.equal(redactSecrets('connecting to postgresql://airflow:in%2Fline-Pw9@127.0.0.1/airflow'), 'connecting to postgresql://airflow:***@127.0.0.1/airflow');
});

test('where the URL comes from: --db, else AIRFLOW__DATABASE__SQL_ALCHEMY_CONN (no inline warning for it), else a usage error', () => {
  const fromEnv = resolveDb(args({}), { AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: 'postgresql://airflow:pw-in-env-4@db/airflow' }, true, '/tmp')!;
  assert.equal(fromEnv.url, 'postgresql://airflow:pw-in-env-4@db/airflow');
  assert.equal(fromEnv.inlinePassword, false, 'inside Airflow the connection string carries the password by design');
  assert.equal(fromEnv.password, undefined);
  assert.doesNotMatch(fromEnv.display, /pw-in-env-4/);
  const flag = resolveDb(args({ db: 'sqlite:////srv/a.db' }), { AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: 'postgresql://x@db/airflow' }, true, '/tmp')!;
  assert.equal(flag.url, 'sqlite:////srv/a.db', '--db wins');
  assert.equal(resolveDb(args({}), {}, false, '/tmp'), undefined, 'optional: nothing configured');
  assert.throws(() => resolveDb(args({}), {}, true, '/tmp'), /^UsageError: needs --db URL \(or AIRFLOW__DATABASE__SQL_ALCHEMY_CONN\)$/);
});

test('a relative SQLite path is relative to the working directory; an absolute one is kept', () => {
  assert.equal(resolveDb(args({ db: 'sqlite:///data/airflow.db' }), {}, true, '/work/proj')!.url, 'sqlite:////work/proj/data/airflow.db');
  assert.equal(resolveDb(args({ db: 'sqlite:////abs/airflow.db' }), {}, true, '/work/proj')!.url, 'sqlite:////abs/airflow.db');
  assert.equal(resolveDb(args({ db: 'SQLITE:///rel.db' }), {}, true, '/w')!.url, 'sqlite:////w/rel.db');
});

test('not a URL, or a malformed one: a usage error naming where it came from, never echoing the value', () => {
  const secret = 'hunter2-pasted-here';
  assert.throws(() => resolveDb(args({ db: secret }), {}, true, '/tmp'), (e: Error) => e.name === 'UsageError' && /^--db: not a database URL/.test(e.message) && !e.message.includes(secret));
  assert.throws(
    () => resolveDb(args({}), { AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: '  ' + secret }, true, '/tmp'),
    (e: Error) => /^AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: not a database URL/.test(e.message) && !e.message.includes(secret),
  );
  assert.throws(() => resolveDb(args({ db: `${secret} postgresql://u@h/db` }), {}, true, '/tmp'), (e: Error) => /^--db: not a database URL/.test(e.message) && !e.message.includes(secret), 'a URL later in the value is not a URL');
  assert.throws(() => resolveDb(args({ db: 'oracle://u@h/db' }), {}, true, '/tmp'), (e: Error) => e.name === 'UsageError' && /^--db: /.test(e.message));
  assert.throws(() => resolveDb(args({ db: 'postgresql+psycopg2://u:pw-Bad9@h:notaport/db' }), {}, true, '/tmp'), (e: Error) => e.name === 'UsageError' && /^--db: /.test(e.message) && !e.message.includes('pw-Bad9'));
  assert.equal(resolveDb(args({ db: 'postgresql+psycopg2://u@h:5432/db' }), {}, true, '/tmp')!.url, 'postgresql+psycopg2://u@h:5432/db');
});

test('redactSecrets: every URL in a text loses its password; text without secrets is unchanged', () => {
  assert.equal(redactSecrets('no secrets here: plain words'), 'no secrets here: plain words');
  assert.equal(redactSecrets('a mysql://root:pa55-Wd@h/db and postgresql://u:x-Y-z@h/db'), 'a mysql://root:***@h/db and postgresql://u:***@h/db');
});

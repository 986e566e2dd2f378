/** The CLI's password handling: a password from the environment is masked in anything it prints. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ParsedArgs } from '../../../server/src/cli/args';
import { redactSecrets, resolveDb } from '../../../server/src/cli/dbUrl';

const args = (options: Record<string, string>): ParsedArgs => ({ options: new Map(Object.entries(options)), positionals: [] });

test('a password from AIRFLOW_ACCESS_DB_PASSWORD is masked wherever it appears in output, also outside a URL', () => {
  const pw = 'env-pw-Zq81!x';
  const t = resolveDb(args({ db: 'postgresql://airflow@db.example:5432/airflow' }), { AIRFLOW_ACCESS_DB_PASSWORD: pw }, true, '/tmp')!;
  assert.equal(t.password, pw);
  assert.equal(t.inlinePassword, false);
  assert.equal(t.display, 'postgresql://airflow@db.example:5432/airflow');
  // A driver message that echoes the password (as some do for a failed login).
  assert.equal(redactSecrets(`FATAL: password "${pw}" rejected for user airflow; retry with ${pw}`), 'FATAL: password "***" rejected for user airflow; retry with ***');
});

test('--password-env NAME: that variable is the password and is masked; an unset NAME is a usage error naming it', () => {
  const pw = 'named-env-pw-77Qa';
  const t = resolveDb(args({ db: 'mysql://root@127.0.0.1/airflow', 'password-env': 'MY_DB_PW' }), { MY_DB_PW: pw, AIRFLOW_ACCESS_DB_PASSWORD: 'other-Kk3' }, true, '/tmp')!;
  assert.equal(t.password, pw);
  assert.equal(redactSecrets(`login with ${pw} failed`), 'login with *** failed');
  assert.throws(() => resolveDb(args({ db: 'mysql://root@127.0.0.1/airflow', 'password-env': 'NOT_SET_XYZ' }), {}, true, '/tmp'), /--password-env NOT_SET_XYZ: that environment variable is not set/);
});

test('a password inline in --db is masked in the URL and on its own, decoded too', () => {
  const t = resolveDb(args({ db: 'postgresql://airflow:in%2Fline-Pw9@127.0.0.1/airflow' }), {}, true, '/tmp')!;
  assert.equal(t.inlinePassword, true);
  assert.doesNotMatch(t.display, /in%2Fline-Pw9|in\/line-Pw9/);
  assert.equal(redactSecrets('echo in/line-Pw9 and in%2Fline-Pw9'), 'echo *** and ***');
});

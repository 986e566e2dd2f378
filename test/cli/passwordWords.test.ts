/**
 * A password is kept out of messages by never putting it there, not by rewriting the message: a
 * password that is also an ordinary word ("wrong", "MySQL", "PostgreSQL") must leave the real error
 * line intact (rewriting it both garbles the line and tells the password). Real server errors: MariaDB
 * refusing an unknown user, PostgreSQL naming a database that does not exist.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { MY_HOST, PG_HOST, PG_USER, needsMaria, needsPg } from '../helpers/dbServers';
import { cleanEnv, cliPath, copyExamples, errorLines, runCli } from './cliRunner';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;

/** The failure line (the last one on stderr; an inline password also draws a warning before it). */
async function failureLine(url: string, password: string | null): Promise<string> {
  const root = copyExamples();
  const r = await runCli(['plan', '--db', url, '-q'], { cwd: root, env: cleanEnv(password === null ? {} : { AIRFLOW_ACCESS_DB_PASSWORD: password }) });
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, '');
  return errorLines(r.stderr).at(-1)!;
}

describe('MariaDB: wrong password for an unknown user', { skip: built || needsMaria }, () => {
  const expected = `airflow-access plan: Authentication failed for MySQL ada_nobody@${MY_HOST}:3306/test: wrong user or password.`;
  for (const password of ['wrong', 'MySQL']) {
    test(`password "${password}" in AIRFLOW_ACCESS_DB_PASSWORD and inline: the line is exactly the server's refusal`, async () => {
      assert.equal(await failureLine(`mysql://ada_nobody@${MY_HOST}:3306/test`, password), expected);
      assert.equal(await failureLine(`mysql://ada_nobody:${password}@${MY_HOST}:3306/test`, null), expected);
    });
  }
});

describe('PostgreSQL: a database that does not exist', { skip: built || needsPg }, () => {
  const expected = `airflow-access plan: Database does not exist on PostgreSQL ${PG_USER}@${PG_HOST}:5432/ada_no_such_db.`;
  for (const password of ['wrong', 'PostgreSQL']) {
    test(`password "${password}": the line names the target unchanged`, async () => {
      assert.equal(await failureLine(`postgresql://${PG_USER}@${PG_HOST}:5432/ada_no_such_db`, password), expected);
      assert.equal(await failureLine(`postgresql://${PG_USER}:${password}@${PG_HOST}:5432/ada_no_such_db`, null), expected);
    });
  }
});

describe('where a URL is printed, its password is masked', { skip: built }, () => {
  test('a bad --db URL is echoed with ***, the rest of the line untouched', async () => {
    const root = copyExamples();
    const r = await runCli(['plan', '--db', 'postgresql://airflow:wrong@db:port/airflow'], { cwd: root });
    assert.equal(r.code, 2);
    assert.deepEqual(errorLines(r.stderr), ['airflow-access plan: --db: Bad port "port" in postgresql://airflow:***@db:port/airflow.']);
  });
});

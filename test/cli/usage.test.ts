import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cliPath, copyExamples, errorLines, runCli } from './cliRunner';
import * as fs from 'fs';

const COMMANDS = ['check', 'index', 'explain', 'matrix', 'plan', 'sync', 'rollback', 'drift', 'generate-sync-dag', 'demo-db', 'lsp'];

describe('airflow-access: help, version and usage errors', { skip: fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)` }, () => {
  test('--help lists every command and the exit codes', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'), `missing ${c}`);
    assert.match(r.stdout, /2 usage error/);
    assert.equal(r.stderr, '');
  });

  test('every command has --help with its usage line, and "help <command>" prints the same', async () => {
    for (const c of COMMANDS) {
      const r = await runCli([c, '--help']);
      assert.equal(r.code, 0, c);
      assert.match(r.stdout, new RegExp(`^Usage: airflow-access ${c}\\b`), c);
      assert.match(r.stdout, /Global options:/);
      const h = await runCli(['help', c]);
      assert.equal(h.stdout, r.stdout);
    }
  });

  test('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+/);
  });

  const usageCases: [string, string[], RegExp][] = [
    ['no command', ['--no-color'], /missing command/],
    ['unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['unknown option', ['check', '--frob'], /check: unknown option --frob/],
    ['bad --format value', ['check', '--format', 'xml'], /--format must be one of text, json, sarif/],
    ['bad --fail-on value', ['check', '--fail-on', 'fatal'], /--fail-on must be one of/],
    ['option without a value', ['check', '--format'], /--format needs a value/],
    ['missing argument', ['explain'], /missing argument <dag_id>/],
    ['extra argument', ['plan', 'extra'], /unexpected argument "extra"/],
    ['--root not a directory', ['check', '--root', '/does/not/exist'], /--root \/does\/not\/exist is not a directory/],
    ['sync without --yes', ['sync', '--db', 'sqlite:////tmp/none.db'], /sync changes the database: add --yes/],
    ['rollback without --yes', ['rollback', 'snap.json', '--db', 'sqlite:////tmp/none.db'], /rollback changes the database: add --yes/],
    ['plan without a database', ['plan'], /needs --db URL/],
    ['--db with an unknown scheme', ['plan', '--db', 'foo://bar'], /^airflow-access plan: --db: Unsupported database scheme "foo"/],
    ['--db that is not a URL', ['plan', '--db', 'not-a-url'], /^airflow-access plan: --db: not a database URL/],
    ['explain --db that is not a URL', ['explain', 'finance_ledger', '--db', 'not-a-url'], /^airflow-access explain: --db: not a database URL/],
    ['--db with a bad port', ['drift', '--db', 'postgresql://airflow@db:port/airflow'], /^airflow-access drift: --db: Bad port "port"/],
    ['--db naming an unreadable TLS file', ['plan', '--db', 'postgresql://airflow@127.0.0.1:1/airflow?sslmode=verify-full&sslrootcert=/does/not/exist/ca.pem'], /plan: --db: Cannot read TLS file \/does\/not\/exist\/ca\.pem/],
    ['generate-sync-dag with a bad --dag-id', ['generate-sync-dag', '--dag-id', 'bad id!', '--db', 'sqlite:////does/not/exist.db'], /generate-sync-dag: --dag-id "bad id!" is not a valid dag_id/],
    ['--json with --format sql', ['plan', '--json', '--format', 'sql', '--db', 'sqlite:////does/not/exist.db'], /plan: --json and --format sql conflict/],
    ['--json with --format csv', ['matrix', '--json', '--format', 'csv'], /matrix: --json and --format csv conflict/],
    ['--format text with --json', ['check', '--format', 'text', '--json'], /check: --json and --format text conflict/],
  ];
  for (const [name, args, message] of usageCases) {
    test(`usage error: ${name} → one line on stderr, exit 2, nothing on stdout`, async () => {
      const root = copyExamples();
      const r = await runCli(args, { cwd: root });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      const lines = errorLines(r.stderr);
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /^airflow-access(?: [a-z-]+)?: /);
      assert.match(lines[0], message);
    });
  }

  test('a --db value that is not a URL (maybe a pasted password) is a usage error and never echoed', async () => {
    const root = copyExamples();
    const secret = 'Hunter2s3cret';
    const commands = [['plan'], ['drift'], ['sync', '--yes'], ['explain', 'finance_ledger'], ['generate-sync-dag'], ['rollback', 'airflow-access.yaml', '--yes']];
    for (const args of commands) {
      const r = await runCli([...args, '--db', secret], { cwd: root });
      assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.equal(errorLines(r.stderr).length, 1, r.stderr);
      assert.ok(!r.stderr.includes(secret), `${args[0]} echoed the value: ${r.stderr}`);
    }
  });

  test('global options are accepted before the command name', async () => {
    const root = copyExamples();
    const r = await runCli(['--root', root, '--no-color', 'check', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: airflow-access check/);
  });
});

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
  ];
  for (const [name, args, message] of usageCases) {
    test(`usage error: ${name} → one line on stderr, exit 2, nothing on stdout`, async () => {
      const root = copyExamples();
      const r = await runCli(args, { cwd: root });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      const lines = errorLines(r.stderr);
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /^airflow-access: /);
      assert.match(lines[0], message);
    });
  }

  test('global options are accepted before the command name', async () => {
    const root = copyExamples();
    const r = await runCli(['--root', root, '--no-color', 'check', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: airflow-access check/);
  });
});

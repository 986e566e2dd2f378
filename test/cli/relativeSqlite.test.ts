/** `sqlite:///relative.db` means relative to where the command runs, for every command (as in the README demo). */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { cliPath, copyExamples, runCli, tempDir } from './cliRunner';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;

describe('a relative SQLite URL with --root elsewhere', { skip: built }, () => {
  test('demo-db, sync and explain all use the same file, relative to the working directory', async () => {
    const root = copyExamples();
    const cwd = tempDir('ada-rel-');
    const url = 'sqlite:///demo/airflow.db';
    const created = await runCli(['demo-db', 'demo/airflow.db', '--root', root, '-q'], { cwd });
    assert.equal(created.code, 0, created.stderr);
    const sync = await runCli(['sync', '--root', root, '--db', url, '--yes', '-q'], { cwd });
    assert.equal(sync.code, 0, sync.stderr);
    const explain = await runCli(['explain', 'analytics_reporting_dag', '--root', root, '--db', url, '--format', 'json', '-q'], { cwd });
    assert.equal(explain.code, 0, explain.stderr);
    const json = JSON.parse(explain.stdout);
    assert.equal(json.database, `sqlite:///${cwd}/demo/airflow.db`);
    assert.match(explain.stdout, /"kind": "db"/, 'the synced grants are read back from the same file');
    assert.ok(!fs.existsSync(`${root}/demo/airflow.db`), 'nothing was created under --root');
  });
});

/**
 * A read-only SQLite metadata file: one clear line, exit 3, and the file unchanged. Root ignores file
 * modes, so the file is made immutable with `chattr +i` (skipped where chattr is not available).
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cliPath, copyExamples, errorLines, runCli, sqliteUrl, tempDir } from './cliRunner';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;

function canMakeImmutable(): string | false {
  const probe = path.join(tempDir('ada-ro-probe-'), 'p');
  fs.writeFileSync(probe, '');
  const on = spawnSync('chattr', ['+i', probe]);
  spawnSync('chattr', ['-i', probe]);
  return on.status === 0 ? false : 'chattr +i is not available here (needs root on ext4/xfs); skipped';
}

describe('airflow-access sync on a read-only SQLite file', { skip: built || canMakeImmutable() }, () => {
  test('one clear line, exit 3, and the file is byte-for-byte unchanged', async () => {
    const root = copyExamples();
    const file = path.join(tempDir('ada-ro-'), 'airflow.db');
    const created = await runCli(['demo-db', file, '-q'], { cwd: root });
    assert.equal(created.code, 0, created.stderr);
    const sha = () => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const before = sha();
    execFileSync('chattr', ['+i', file]);
    try {
      const r = await runCli(['sync', '--db', sqliteUrl(file), '--yes', '-q'], { cwd: root });
      assert.equal(r.code, 3, r.stdout + r.stderr);
      const lines = errorLines(r.stderr);
      assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
      assert.match(lines[0], /read-only/);
    } finally {
      execFileSync('chattr', ['-i', file]);
    }
    assert.equal(sha(), before, 'the read-only file was not modified');
  });
});

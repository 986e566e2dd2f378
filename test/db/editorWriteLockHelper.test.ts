/**
 * The language server keeps one connection per folder, opened for reading. Where the editor applies
 * a plan or rolls back, it asks for the connection `forWrite` (as the CLI's sync and rollback open
 * theirs): with the wasm SQLite driver, the lock helper's Python (db/sqlitePosixLock.ts) then starts
 * before the write transaction, not at the lock. Reads start no Python.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ProjectDb } from '../../server/src/project/projectDb';
import { createDemoDatabase } from '../../server/src/sync/demo';
import { tempDir } from '../helpers/dbServers';

const hasNodeSqlite = (() => {
  try {
    require('node:sqlite');
    return true;
  } catch {
    return false;
  }
})();
const python = spawnSync('python3', ['-c', 'import sqlite3, fcntl'], { stdio: 'ignore' }).status === 0;
const skip = hasNodeSqlite ? 'this Node has node:sqlite: no lock helper is used' : !python ? 'needs python3 (the lock helper)' : process.platform !== 'linux' ? 'reads /proc' : false;

/** Child processes of this process whose command line names `file` (the lock helper gets the DB path). */
function helpersOf(file: string): number[] {
  const pids = fs.readdirSync(`/proc/${process.pid}/task`).flatMap((t) => fs.readFileSync(`/proc/${process.pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
  return pids.map(Number).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(file);
    } catch {
      return false; // already gone
    }
  });
}

test("the editor's connection starts SQLite's lock helper only when asked for a write", { skip }, async () => {
  const dir = tempDir();
  const file = path.join(dir, 'airflow.db');
  await createDemoDatabase(file, { dags: [{ dagId: 'a', tags: [] }] });
  const reading = new ProjectDb(() => null, () => `sqlite:///${file}`, dir);
  const writing = new ProjectDb(() => null, () => `sqlite:///${file}`, dir);
  try {
    assert.equal(await reading.connect(), 'connected');
    await reading.connection();
    assert.deepEqual(helpersOf(file), [], 'opening and reading start no Python');
    // The open read connection, asked for a write (Apply): the helper starts now.
    await reading.connection({ forWrite: true });
    assert.equal(helpersOf(file).length, 1, 'the helper runs before any write transaction');
    await reading.close();
    // No connection yet (Apply before anything connected): it opens for writing.
    await writing.connection({ forWrite: true });
    assert.ok(helpersOf(file).length >= 1);
  } finally {
    await reading.dispose();
    await writing.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

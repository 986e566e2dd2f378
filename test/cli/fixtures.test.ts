/**
 * The built CLI against every real Airflow metadata database in ../shared (SQLite files and the
 * PostgreSQL dumps): sync writes, a second plan is empty, and rollback of the snapshot restores every
 * row of every table except Airflow's audit log.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { openDatabase } from '../../server/src/db/connect';
import { diffDumps, dumpAll, type Dump } from '../helpers/dbDump';
import { createPgDb, needsPg, type TempDb } from '../helpers/dbServers';
import { metadataFixturesDir, needsShared } from '../helpers/paths';
import { cliPath, copyExamples, copyFixture, runCli, tempDir } from './cliRunner';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;
const fixtures = needsShared ? [] : fs.readdirSync(metadataFixturesDir).filter((f) => /\.(sqlite|sql)$/.test(f)).sort();

async function dump(url: string): Promise<Dump> {
  const db = await openDatabase({ url });
  try {
    return await dumpAll(db, { exclude: ['log'] });
  } finally {
    await db.close();
  }
}

function changedTables(a: Dump, b: Dump): string[] {
  return [...new Set([...diffDumps(a, b).keys(), ...diffDumps(b, a).keys()])].sort();
}

describe('airflow-access sync and rollback on every Airflow fixture database', { skip: built || needsShared }, () => {
  const dropLater: TempDb[] = [];
  after(async () => {
    for (const d of dropLater) await d.drop().catch(() => undefined);
  });

  for (const name of fixtures) {
    const isPg = name.endsWith('.postgres.sql');
    test(`${name}: sync writes, re-plan is empty, rollback restores every row`, { skip: isPg ? needsPg : false }, async () => {
      let url: string;
      if (isPg) {
        const pg = await createPgDb(path.join(metadataFixturesDir, name));
        dropLater.push(pg);
        url = pg.url;
      } else {
        url = copyFixture(name).url;
      }
      const root = copyExamples();
      const snapshots = tempDir('ada-fixture-snap-');
      const before = await dump(url);

      // Tags come from the workspace: the fixtures' own DAGs carry none of the example tags.
      const sync = await runCli(['sync', '--db', url, '--tag-source', 'workspace', '--yes', '--snapshot-dir', snapshots, '-q'], { cwd: root });
      assert.equal(sync.code, 0, `${sync.stdout}\n${sync.stderr}`);
      assert.match(sync.stdout, /Snapshot: /);
      const afterSync = await dump(url);
      const touched = changedTables(before, afterSync);
      assert.ok(touched.includes('ab_role'), `the sync created the example roles (changed: ${touched.join(', ')})`);
      for (const t of touched) assert.ok(t.startsWith('ab_'), `the sync changed a non-FAB table: ${t}`);

      const replan = await runCli(['plan', '--db', url, '--tag-source', 'workspace', '--detailed-exitcode', '-q'], { cwd: root });
      assert.equal(replan.code, 0, `a second plan is not empty:\n${replan.stdout}`);

      const snapshot = fs.readdirSync(snapshots).find((f) => f.endsWith('.json'));
      assert.ok(snapshot, 'a snapshot was written');
      const rollback = await runCli(['rollback', path.join(snapshots, snapshot), '--db', url, '--yes', '-q'], { cwd: root });
      assert.equal(rollback.code, 0, `${rollback.stdout}\n${rollback.stderr}`);
      assert.deepEqual(changedTables(before, await dump(url)), [], 'rollback restored every row');
    });
  }
});

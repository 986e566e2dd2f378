/**
 * Bridge to the sync measurements the database engineer owns (test/bench/sync*.ts): loads the
 * compiled module when it exists and turns its figures into table rows.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Row } from './report';

type SyncModule = Record<string, unknown>;

function loadSyncModule(): { name: string; mod: SyncModule } | null {
  const names = fs.readdirSync(__dirname).filter((n) => /^sync.*\.js$/.test(n) && n !== 'syncAdapter.js').sort();
  for (const n of names) {
    const mod = require(path.join(__dirname, n)) as SyncModule;
    if (typeof mod.runSyncBench === 'function') return { name: n, mod };
  }
  return null;
}

export async function runSyncRows(opts: { quick: boolean }): Promise<Row[]> {
  const found = loadSyncModule();
  if (!found) return [{ section: 'sync', metric: 'sync bench', value: 'not available', target: '', verdict: 'SKIP', note: 'no test/bench/sync*.ts exporting runSyncBench yet' }];
  const run = found.mod.runSyncBench as (o: { quick: boolean }) => Promise<Row[]>;
  return run({ quick: opts.quick });
}

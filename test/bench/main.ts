/**
 * `npm run bench`: synthetic workspaces of 1,000 and 10,000 DAG files (50 roles) → index, editor
 * latency and memory figures; plus the sync measurements (test/bench/sync.ts).
 * Prints one table (or JSON with --json). Figures only: nothing here fails on a missed target.
 *
 *   --json     machine-readable output on stdout
 *   --quick    the 1,000-file workspace only (and the sync bench's quick mode)
 *   --skip-db  no database measurements
 *   --index-only  only the raw parse, cold index and warm start rows (no editor, memory or sync rows)
 *   --sync-only   only the sync rows
 *   --matrix-only only the matrix view row (matrix_render_ms)
 *   --cli-only    only the whole-process CLI rows (--help, plan and sync on PostgreSQL)
 *   --tree-only   only the tree view rows (tree_first_ms, tree_bytes) on the 10k workspace (1k with --quick)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { indexBench } from './indexBench';
import { lspBench } from './lspBench';
import { cliBench } from './cliBench';
import { formatTable, rowId, type Row } from './report';
import { checkScaleBench } from './checkScale';
import { matrixBench } from './matrixBench';
import { runSyncBench } from './sync';
import { generateWorkspace } from './workspace';
import { treeBench } from './treeBench';
import { LspClient } from '../helpers/lspClient';

interface Flags { json: boolean; quick: boolean; skipDb: boolean; keep: boolean; indexOnly: boolean; syncOnly: boolean; matrixOnly: boolean; cliOnly: boolean; treeOnly: boolean }

function flags(argv: string[]): Flags {
  const known = new Set(['--json', '--quick', '--skip-db', '--keep', '--index-only', '--sync-only', '--matrix-only', '--cli-only', '--tree-only']);
  for (const a of argv) if (!known.has(a)) throw new Error(`unknown flag ${a} (known: ${[...known].join(', ')})`);
  return { json: argv.includes('--json'), quick: argv.includes('--quick'), skipDb: argv.includes('--skip-db') || argv.includes('--index-only') || argv.includes('--matrix-only') || argv.includes('--tree-only'), keep: argv.includes('--keep'), indexOnly: argv.includes('--index-only'), syncOnly: argv.includes('--sync-only'), matrixOnly: argv.includes('--matrix-only'), cliOnly: argv.includes('--cli-only'), treeOnly: argv.includes('--tree-only') };
}

function progress(f: Flags, msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
  void f;
}

async function main(): Promise<void> {
  const f = flags(process.argv.slice(2));
  const sizes = f.syncOnly || f.matrixOnly || f.cliOnly ? [] : f.quick ? [1000] : f.treeOnly ? [10_000] : [1000, 10_000];
  const rows: Row[] = [];
  const started = Date.now();
  // Other processes on the machine inflate every wall-clock figure: the load average is printed with them.
  const loadAvgStart = os.loadavg()[0]!.toFixed(1);
  for (const n of sizes) {
    const label = n >= 10_000 ? '10k DAGs' : '1k DAGs';
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `ada-bench-${n}-`));
    try {
      progress(f, `generating ${n} DAG files in ${root}`);
      const ws = generateWorkspace(root, n, 20260501);
      rows.push({ id: n >= 10_000 ? 'workspace_files' : 'workspace_files_1k', section: label, metric: 'workspace', value: `${ws.files.length} files, ${(ws.bytes / 1048576).toFixed(1)} MB, 50 roles`, target: '', verdict: 'INFO', data: { value: ws.files.length, files: ws.files.length, bytes: ws.bytes } });
      if (f.treeOnly) {
        progress(f, `${label}: tree view through the bundled server`);
        const client = await LspClient.start({ folders: [root], settings: { index: { maxFiles: 100_000 } }, waitIndexed: false });
        try {
          await client.waitIndexed(600_000);
          rows.push(...(await treeBench(client, label)));
        } finally {
          await client.stop();
        }
        continue;
      }
      progress(f, `${label}: raw parse, cold index, warm start`);
      rows.push(...indexBench(root, label));
      // Editor figures: the 10k workspace is the target; the 1k one is measured in --quick runs only.
      if (!f.indexOnly && (n >= 10_000 || f.quick)) {
        progress(f, `${label}: bundled server over stdio`);
        rows.push(...(await lspBench(ws, label, { edits: f.quick ? 40 : 100, queries: f.quick ? 100 : 200, typingGapMs: 120 })));
      }
    } finally {
      if (!f.keep) fs.rmSync(root, { recursive: true, force: true });
    }
  }
  if (!f.syncOnly && !f.indexOnly && !f.cliOnly && !f.treeOnly) {
    progress(f, 'matrix view: 10k DAGs × 50 roles in headless Chromium');
    rows.push(...(await matrixBench('10k DAGs')));
  }
  if (!f.syncOnly && !f.indexOnly && !f.matrixOnly && !f.cliOnly && !f.treeOnly) {
    progress(f, 'check at scale: many roles, many copies of one dag_id');
    rows.push(...checkScaleBench({ quick: f.quick }));
  }
  if (!f.indexOnly && !f.syncOnly && !f.matrixOnly && !f.treeOnly) {
    progress(f, 'CLI: whole processes (--help; plan and sync --yes on PostgreSQL)');
    rows.push(...(await cliBench({ quick: f.quick, skipDb: f.skipDb })));
  }
  if (!f.skipDb && !f.cliOnly) {
    progress(f, 'sync: PostgreSQL and SQLite, each in a fresh process');
    rows.push(...(await runSyncBench({ quick: f.quick })));
  }
  const env = { node: process.version, cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? 'unknown', platform: `${os.platform()} ${os.release()}`, totalMs: Date.now() - started, loadAvgStart, loadAvgEnd: os.loadavg()[0]!.toFixed(1) };
  if (f.json) process.stdout.write(`${JSON.stringify({ env, rows: rows.map((r) => ({ id: rowId(r), ...r })) }, null, 2)}\n`);
  else process.stdout.write(`Airflow DAG Access benchmark — node ${env.node}, ${env.cores} cores (${env.cpu}), ${(env.totalMs / 1000).toFixed(0)} s, load average ${env.loadAvgStart} → ${env.loadAvgEnd}\n\n${formatTable(rows)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);

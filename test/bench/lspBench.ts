/**
 * Editor latency through the real bundled server (dist/server.js --stdio): startup until the first
 * answer, edit → pulled diagnostics, hover, completion, and the server's RSS after indexing.
 */
import * as fs from 'fs';
import { LspClient, fileUri } from '../helpers/lspClient';
import { ms, percentile, verdict, type Row } from './report';
import type { SyntheticWorkspace } from './workspace';
import { treeBench } from './treeBench';

function rssMb(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

export interface LspBenchOptions {
  edits: number;
  queries: number;
  /** Pause between edits, like a fast typist (ms). */
  typingGapMs: number;
}

export async function lspBench(ws: SyntheticWorkspace, label: string, opts: LspBenchOptions): Promise<Row[]> {
  const t0 = now();
  const client = await LspClient.start({ folders: [ws.root], settings: { index: { maxFiles: 100_000 } }, waitIndexed: false });
  try {
    const uri = fileUri(ws.probe.file);
    const original = fs.readFileSync(ws.probe.file, 'utf8');
    const tagPos = { line: ws.probe.tagLine, character: ws.probe.tagColumn };
    // As an editor starting on a file: open it, hover and pull its diagnostics. The rest of the folder
    // is still being scanned meanwhile (the hover says its answer may be partial).
    await client.open(ws.probe.file);
    const firstHover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: tagPos });
    const hoverMs = now() - t0;
    await client.pullDiagnostics(uri);
    const firstMs = now() - t0;
    const partial = /answer may be partial/.test(firstHover?.contents.value ?? '');
    await client.waitIndexed(600_000);
    const fullMs = now() - t0;
    const mem = rssMb(client.child.pid!);

    const edit: number[] = [];
    let version = 1;
    for (let i = 0; i < opts.edits; i++) {
      // Type into the tag list: a new tag that grows by one character per edit.
      const text = original.replace('tags=[', `tags=["typed_${'x'.repeat(1 + (i % 12))}", `);
      await client.change(uri, ++version, text);
      const s = now();
      await client.pullDiagnostics(uri);
      edit.push(now() - s);
      await sleep(opts.typingGapMs);
    }
    await client.change(uri, ++version, original);
    await client.pullDiagnostics(uri);
    await sleep(200);

    const hover: number[] = [];
    const completion: number[] = [];
    const insideTags = { line: ws.probe.tagLine, character: original.split('\n')[ws.probe.tagLine]!.indexOf('[') + 1 };
    let hoverOk = false;
    let completionCount = 0;
    for (let i = 0; i < opts.queries; i++) {
      let s = now();
      const h = await client.request<unknown>('textDocument/hover', { textDocument: { uri }, position: tagPos });
      hover.push(now() - s);
      hoverOk ||= !!h;
      s = now();
      const c = await client.request<{ items?: unknown[] } | unknown[] | null>('textDocument/completion', { textDocument: { uri }, position: insideTags });
      completion.push(now() - s);
      completionCount = Array.isArray(c) ? c.length : (c?.items?.length ?? 0);
    }
    // Workspace diagnostics (every file, open or not): a full pull, then one where nothing changed.
    let s0 = now();
    const full = await client.request<{ items: { uri: string; resultId?: string }[] }>('workspace/diagnostic', { previousResultIds: [] });
    const wsFullMs = now() - s0;
    s0 = now();
    await client.request('workspace/diagnostic', { previousResultIds: full.items.map((r) => ({ uri: r.uri, value: r.resultId ?? '' })) });
    const wsUnchangedMs = now() - s0;
    const memAfter = rssMb(client.child.pid!);
    const tree = await treeBench(client, label);
    const p50 = percentile(edit, 50);
    const p95 = percentile(edit, 95);
    const h95 = percentile(hover, 95);
    const c95 = percentile(completion, 95);
    const sfx = label.startsWith('10k') ? '' : '_1k';
    const id = (base: string) => `${base}${sfx}`;
    return [
      {
        id: id('first_answer_ms'),
        section: label,
        metric: 'server start → hover and diagnostics of the opened file (cold)',
        value: `${ms(firstMs)} (hover at ${ms(hoverMs)}${partial ? ', marked partial' : ''})`,
        target: '≤ 0.50 s',
        verdict: verdict(firstMs <= 500 && !!firstHover),
        data: { value: firstMs, hoverMs, partial: partial ? 1 : 0 },
        note: firstHover ? undefined : 'the first hover returned nothing',
      },
      { id: id('full_index_ms'), section: label, metric: 'server start → folder fully indexed (background scan)', value: ms(fullMs), target: '(reference)', verdict: 'INFO', data: { value: fullMs } },
      { id: id('edit_p95_ms'), section: label, metric: 'edit → diagnostics p50 / p95', value: `${ms(p50)} / ${ms(p95)} (n=${edit.length})`, target: 'p95 ≤ 30 ms', verdict: verdict(p95 <= 30), data: { value: p95, p50, p95, max: Math.max(...edit), n: edit.length } },
      { id: id('hover_p95_ms'), section: label, metric: 'hover p95', value: `${ms(h95)} (n=${hover.length})`, target: '≤ 5 ms', verdict: verdict(h95 <= 5 && hoverOk), data: { value: h95, p50: percentile(hover, 50), p95: h95 }, note: hoverOk ? undefined : 'hover returned nothing at the probe tag' },
      { id: id('completion_p95_ms'), section: label, metric: 'completion p95', value: `${ms(c95)} (n=${completion.length}, ${completionCount} items)`, target: '≤ 5 ms', verdict: verdict(c95 <= 5), data: { value: c95, p50: percentile(completion, 50), p95: c95, items: completionCount } },
      { id: id('workspace_diagnostics_ms'), section: label, metric: 'workspace diagnostics: full pull / nothing changed', value: `${ms(wsFullMs)} / ${ms(wsUnchangedMs)} (${full.items.length} files)`, target: '(reference; yields every 50 files)', verdict: 'INFO', data: { value: wsFullMs, fullMs: wsFullMs, unchangedMs: wsUnchangedMs, files: full.items.length } },
      ...tree,
      { id: id('rss_mb'), section: label, metric: 'server RSS after indexing', value: `${mem.rss.toFixed(0)} MB (peak ${mem.hwm.toFixed(0)} MB; ${memAfter.rss.toFixed(0)} MB after queries)`, target: '≤ 300 MB', verdict: verdict(mem.rss <= 300), data: { value: mem.rss, rssMb: mem.rss, peakMb: mem.hwm, rssAfterQueriesMb: memAfter.rss } },
    ];
  } finally {
    await client.stop();
  }
}

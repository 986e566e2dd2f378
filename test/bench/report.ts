/** Rows of the benchmark table: a measured figure, its target and PASS/MISS; text and JSON output. */

export type Verdict = 'PASS' | 'MISS' | 'INFO' | 'SKIP';

export interface Row {
  /** Stable name of the figure in --json output (e.g. cli_help_ms); rows without one get a slug of section and metric. */
  id?: string;
  section: string;
  metric: string;
  value: string;
  target: string;
  verdict: Verdict;
  /** Raw numbers for --json. */
  data?: Record<string, number | string | null>;
  note?: string;
}

export function verdict(ok: boolean): Verdict {
  return ok ? 'PASS' : 'MISS';
}

export function percentile(samples: number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 2 : 0)} ms`);

export function formatTable(rows: Row[]): string {
  const head: [string, string, string, string, string] = ['section', 'metric', 'measured', 'target', 'result'];
  const cells = rows.map((r) => [r.section, r.metric, r.value, r.target, r.verdict] as const);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)];
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.section} / ${r.metric}: ${r.note}`);
  return [...out, ...(notes.length ? ['', 'Notes:', ...notes] : [])].join('\n');
}

/** The row's stable id: its own, else section and metric as a slug. */
export function rowId(r: Row): string {
  return r.id ?? `${r.section} ${r.metric}`.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** Time an async or sync function in milliseconds. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result };
}

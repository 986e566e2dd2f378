/**
 * Stable JSON of indexed facts for `airflow-access index --json`: files sorted by path, object keys
 * sorted, `file` paths relative to the workspace root (POSIX separators) when a root is given, and
 * no volatile fields (document versions / mtimes).
 */
import * as path from 'path';
import type { FileFacts } from '../model/facts';

export const FACTS_JSON_FORMAT = 1;

export interface FactsJsonOptions {
  /** Make `file` fields relative to this folder. */
  root?: string;
}

export interface FactsJson {
  format: number;
  files: unknown[];
  summary: { files: number; dags: number; staticDagIds: number; dynamicDagIds: number; skipped: number; syntaxErrors: number };
}

export function factsToJson(facts: FileFacts[], opts: FactsJsonOptions = {}): FactsJson {
  const rel = (p: string): string => (opts.root ? path.relative(opts.root, p).split(path.sep).join('/') : p);
  const sorted = [...facts].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const dags = sorted.flatMap((f) => f.dags);
  return {
    format: FACTS_JSON_FORMAT,
    files: sorted.map((f) => {
      const { version: _v, ...rest } = f;
      return normalise(rest, rel);
    }),
    summary: {
      files: sorted.length,
      dags: dags.length,
      staticDagIds: dags.filter((d) => d.dagId.kind === 'static').length,
      dynamicDagIds: dags.filter((d) => d.dagId.kind === 'dynamic').length,
      skipped: sorted.filter((f) => f.skipped).length,
      syntaxErrors: sorted.reduce((n, f) => n + f.syntaxErrors.length, 0),
    },
  };
}

function normalise(v: unknown, rel: (p: string) => string, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => normalise(x, rel));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = normalise(x, rel, k);
    }
    return out;
  }
  return key === 'file' && typeof v === 'string' && v ? rel(v) : v;
}

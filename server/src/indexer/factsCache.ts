/**
 * Optional on-disk cache of per-file facts: one compact JSON file per workspace folder and extractor
 * version, read once at scan start and written once after a scan that changed something.
 * - `files`: facts of discovered files, keyed by path + mtime + size + safe-mode flag;
 * - `modules`: facts of modules read only because DAG files import them (always without safe mode).
 * Ranges are stored as `[line, character, line, character]` to keep the file (and its parse) small.
 * A corrupt or foreign cache file is ignored.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { FileFacts } from '../model/facts';
import { EXTRACTOR_VERSION } from './analyseFile';

export interface CacheEntry {
  mtimeMs: number;
  size: number;
  safeMode: boolean;
  facts: FileFacts;
}

export interface CacheContents {
  files: Map<string, CacheEntry>;
  modules: Map<string, CacheEntry>;
}

const FORMAT = 2;

type Row = [file: string, mtimeMs: number, size: number, safeMode: 0 | 1, facts: unknown];

interface CacheFile {
  format: number;
  extractor: number;
  root: string;
  files: Row[];
  modules: Row[];
}

/** Range objects → 4-tuples (no other array of four numbers occurs in facts). */
export function encodeFacts(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(encodeFacts);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const s = o['start'] as { line: number; character: number } | undefined;
    const e = o['end'] as { line: number; character: number } | undefined;
    if (s && e && typeof s.line === 'number' && typeof e.line === 'number' && Object.keys(o).length === 2) return [s.line, s.character, e.line, e.character];
    const out: Record<string, unknown> = {};
    for (const k in o) if (o[k] !== undefined) out[k] = encodeFacts(o[k]);
    return out;
  }
  return v;
}

/** Inverse of encodeFacts, in place. */
export function decodeFacts(v: unknown): unknown {
  if (Array.isArray(v)) {
    if (v.length === 4 && typeof v[0] === 'number' && typeof v[3] === 'number') {
      return { start: { line: v[0], character: v[1] as number }, end: { line: v[2] as number, character: v[3] } };
    }
    for (let i = 0; i < v.length; i++) v[i] = decodeFacts(v[i]);
    return v;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (x && typeof x === 'object') o[k] = decodeFacts(x);
    }
  }
  return v;
}

function toRows(entries: Map<string, CacheEntry>): Row[] {
  const rows: Row[] = [];
  for (const [file, e] of entries) rows.push([file, e.mtimeMs, e.size, e.safeMode ? 1 : 0, encodeFacts(e.facts)]);
  return rows;
}

function fromRows(rows: unknown): Map<string, CacheEntry> {
  const out = new Map<string, CacheEntry>();
  if (!Array.isArray(rows)) return out;
  for (const r of rows as Row[]) {
    if (!Array.isArray(r) || r.length !== 5 || typeof r[0] !== 'string' || !r[4] || typeof r[4] !== 'object') continue;
    out.set(r[0], { mtimeMs: r[1], size: r[2], safeMode: r[3] === 1, facts: decodeFacts(r[4]) as FileFacts });
  }
  return out;
}

export class FactsCache {
  readonly file: string;

  constructor(cacheDir: string, private readonly root: string) {
    const hash = crypto.createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 16);
    this.file = path.join(cacheDir, `facts-v${EXTRACTOR_VERSION}-${hash}.json`);
    this.stale = new RegExp(`^facts-v\\d+-${hash}\\.json$`);
  }

  private readonly stale: RegExp;

  load(): CacheContents {
    try {
      const data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as CacheFile;
      if (data.format !== FORMAT || data.extractor !== EXTRACTOR_VERSION || data.root !== path.resolve(this.root)) return empty();
      return { files: fromRows(data.files), modules: fromRows(data.modules) };
    } catch {
      return empty();
    }
  }

  save(contents: CacheContents): void {
    const data: CacheFile = { format: FORMAT, extractor: EXTRACTOR_VERSION, root: path.resolve(this.root), files: toRows(contents.files), modules: toRows(contents.modules) };
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(data));
      fs.renameSync(tmp, this.file);
      // Caches written by other extractor versions for this folder are never read again.
      for (const name of fs.readdirSync(path.dirname(this.file))) {
        if (this.stale.test(name) && name !== path.basename(this.file)) fs.rmSync(path.join(path.dirname(this.file), name), { force: true });
      }
    } catch {
      // A read-only or full disk only costs the next start a re-parse.
    }
  }
}

function empty(): CacheContents {
  return { files: new Map(), modules: new Map() };
}

/** What to write: facts of indexed files and of import-only modules, with the stat they were read at. */
export function cacheContentsOf(src: {
  files: Map<string, FileFacts>;
  modules: Map<string, FileFacts>;
  stats: Map<string, { mtimeMs: number; size: number }>;
  /** Files whose facts come from editor text, not disk. */
  skip: Set<string>;
  safeMode: boolean;
}): CacheContents {
  const out: CacheContents = { files: new Map(), modules: new Map() };
  const add = (to: Map<string, CacheEntry>, file: string, facts: FileFacts, safeMode: boolean): void => {
    const st = src.stats.get(file);
    // A parse or analysis that ran out of time depends on the machine's load: try again next start.
    if (st && !src.skip.has(file) && !/took longer than/.test(facts.skipped ?? '')) to.set(file, { ...st, safeMode, facts });
  };
  for (const [file, facts] of src.files) add(out.files, file, facts, src.safeMode);
  for (const [file, facts] of src.modules) add(out.modules, file, facts, false);
  return out;
}

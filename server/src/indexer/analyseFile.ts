/**
 * One file → FileFacts, with the guards a 10,000-file workspace needs: size cap, safe mode, parse-time
 * cap, extraction-time cap. Shared by the in-thread path and the worker threads.
 */
import * as fs from 'fs';
import type { Parser, Tree } from 'web-tree-sitter';
import { isUtf8 } from 'buffer';
import type { FileFacts, SyntaxErrorFact } from '../model/facts';
import { unparseableReason } from '../parsing/indentGuard';
import { parseWithDeadline } from '../parsing/treeSitter';
import { passesSafeMode } from './discovery';
import { extractFileFacts } from './extractFileFacts';

/** Bump when extraction output changes, so on-disk caches written by older versions are ignored. */
export const EXTRACTOR_VERSION = 10;
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const PARSE_MILLIS = 2000;

export interface AnalyseOptions {
  /** Apply Airflow's safe-mode content check. */
  safeMode: boolean;
  parseMillis?: number;
  /** Wall-clock cap on extraction after the parse (default EXTRACT_MILLIS). */
  analysisMillis?: number;
}

export function skippedFacts(file: string, version: number, reason: string): FileFacts {
  return { file, version, dags: [], assets: [], exports: {}, imports: [], syntaxErrors: [], skipped: reason };
}

/** Analyse text; the returned tree (if any) belongs to the caller, who must delete it. */
export function analyseText(parser: Parser, file: string, source: string, version: number, opts: AnalyseOptions, oldTree?: Tree | null): { facts: FileFacts; tree: Tree | null } {
  const text = lineBreaksAsPython(source);
  const parsed = parseChecked(parser, file, text, version, opts, oldTree);
  if ('facts' in parsed) return { facts: parsed.facts, tree: null };
  return { facts: extract(parsed.tree, file, text, version, opts), tree: parsed.tree };
}

/** The guards (size, safe mode, nesting) and the capped parse: a tree, or the facts of a skipped file. */
function parseChecked(parser: Parser, file: string, text: string, version: number, opts: AnalyseOptions, oldTree?: Tree | null): { tree: Tree } | { facts: FileFacts } {
  if (Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) return { facts: skippedFacts(file, version, 'larger than 2 MB: not analysed') };
  if (opts.safeMode && !passesSafeMode(text)) {
    return { facts: skippedFacts(file, version, 'safe mode: the file does not mention both "airflow" and "dag", so Airflow does not load it') };
  }
  const unparseable = unparseableReason(text);
  if (unparseable) return { facts: skippedFacts(file, version, unparseable) };
  let tree: Tree | null = null;
  try {
    tree = parseWithDeadline(parser, text, opts.parseMillis ?? PARSE_MILLIS, oldTree);
  } catch (e) {
    parser.reset();
    return { facts: skippedFacts(file, version, `parser failed: ${e instanceof Error ? e.message : String(e)}`) };
  }
  if (!tree) {
    parser.reset();
    return { facts: skippedFacts(file, version, `parsing took longer than ${opts.parseMillis ?? PARSE_MILLIS} ms: not analysed`) };
  }
  return { tree };
}

function withEncodingError(facts: FileFacts, error: SyntaxErrorFact | undefined): FileFacts {
  if (error && !facts.skipped) facts.syntaxErrors.unshift(error);
  return facts;
}

function extract(tree: Tree, file: string, text: string, version: number, opts: AnalyseOptions): FileFacts {
  return extractFileFacts(tree, text, file, version, opts.analysisMillis === undefined ? {} : { budgetMillis: opts.analysisMillis });
}

/** Where a worker's time went (the bench's per-stage rows): reading + parsing, and extracting facts. */
export interface StageTiming {
  readParseMs: number;
  extractMs: number;
}

/** Source characters parsed ahead of their extraction in one group (a big file goes alone). */
const GROUP_BYTES = 256 * 1024;

/**
 * Read and analyse files from disk in groups: every file of a group is parsed, then every one is
 * extracted. Alternating a whole group at a time keeps the parser's and the extractor's code and data
 * in the caches in turn; at 10,000 files, two workers spend about 8 % less wall and CPU time than when
 * each file is parsed and extracted in turn. The facts are those of `analyseDisk`, in job order.
 */
export function analyseDiskGroup(parser: Parser, jobs: { file: string; opts: AnalyseOptions; stat?: { size: number; mtimeMs: number } }[], timing?: StageTiming): FileFacts[] {
  const out: FileFacts[] = new Array(jobs.length);
  let i = 0;
  let t = timing ? performance.now() : 0;
  while (i < jobs.length) {
    const group: { at: number; text: string; version: number; tree: Tree; encodingError?: SyntaxErrorFact }[] = [];
    let bytes = 0;
    try {
      for (; i < jobs.length && (group.length === 0 || bytes < GROUP_BYTES); i++) {
        const { file, opts, stat } = jobs[i]!;
        const read = readFile(file, stat);
        if ('facts' in read) {
          out[i] = read.facts;
          continue;
        }
        const parsed = parseChecked(parser, file, read.text, read.version, opts);
        if ('facts' in parsed) out[i] = parsed.facts;
        else {
          group.push({ at: i, text: read.text, version: read.version, tree: parsed.tree, encodingError: read.encodingError });
          bytes += read.text.length;
        }
      }
      if (timing) timing.readParseMs += -t + (t = performance.now());
      for (const g of group) out[g.at] = withEncodingError(extract(g.tree, jobs[g.at]!.file, g.text, g.version, jobs[g.at]!.opts), g.encodingError);
      if (timing) timing.extractMs += -t + (t = performance.now());
    } finally {
      for (const g of group) g.tree.delete();
    }
  }
  return out;
}

/**
 * A lone CR ends a line for Python and for LSP positions, but not for the grammar: as LF (same length,
 * so every offset and column stays put), old Mac files parse and their ranges land on the right lines.
 */
export function lineBreaksAsPython(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** PEP 263: `# -*- coding: latin-1 -*-` (or `# vim: set fileencoding=...`) on the first or second line. */
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/**
 * Bytes that are not UTF-8 (a replacement character after decoding): Python decodes with the encoding
 * the file declares, and without one refuses to import the file ("Non-UTF-8 code starting with ...").
 */
function checkEncoding(file: string, text: string): { text: string; error?: SyntaxErrorFact } {
  if (!text.includes('\uFFFD')) return { text };
  const bytes = fs.readFileSync(file);
  if (isUtf8(bytes)) return { text };
  const declared = text.split('\n', 2).map((l) => CODING.exec(l)?.[1]).find(Boolean);
  if (declared) {
    // Python's names: `latin-1` is ISO-8859-1 (Buffer's latin1); the rest by their WHATWG label.
    const label = declared.toLowerCase().replace(/_/g, '-');
    if (/^(latin-?1|iso-?8859-1|l1)$/.test(label)) return { text: bytes.toString('latin1') };
    try {
      return { text: new TextDecoder(label).decode(bytes) };
    } catch {
      return { text }; // an encoding Node does not know: keep the UTF-8 reading
    }
  }
  const at = text.indexOf('\uFFFD');
  const line = text.slice(0, at).split('\n').length - 1;
  const character = at - (text.lastIndexOf('\n', at - 1) + 1);
  return {
    text,
    error: { range: { start: { line, character }, end: { line, character: character + 1 } }, message: `Syntax error: the file is not UTF-8 (line ${line + 1}) and declares no encoding, so Python refuses to import it. Save it as UTF-8 or add a "# -*- coding: ... -*-" line.` },
  };
}

/** The text of a file and its version (mtime), or the facts of a file that cannot be read or is too big. */
function readFile(file: string, known?: { size: number; mtimeMs: number }): { text: string; version: number; encodingError?: SyntaxErrorFact } | { facts: FileFacts } {
  let st: { size: number; mtimeMs: number };
  try {
    st = known ?? fs.statSync(file);
  } catch (e) {
    return { facts: skippedFacts(file, 0, `cannot read: ${e instanceof Error ? e.message : String(e)}`) };
  }
  if (st.size > MAX_FILE_BYTES) return { facts: skippedFacts(file, st.mtimeMs, 'larger than 2 MB: not analysed') };
  try {
    const { text: read, error } = checkEncoding(file, fs.readFileSync(file, 'utf8'));
    const text = lineBreaksAsPython(read);
    return error ? { text, version: st.mtimeMs, encodingError: error } : { text, version: st.mtimeMs };
  } catch (e) {
    return { facts: skippedFacts(file, st.mtimeMs, `cannot read: ${e instanceof Error ? e.message : String(e)}`) };
  }
}

/** Read and analyse a file from disk; version is its mtime (`known`: as discovery found it). Never throws. */
export function analyseDisk(parser: Parser, file: string, opts: AnalyseOptions, known?: { size: number; mtimeMs: number }): FileFacts {
  const read = readFile(file, known);
  if ('facts' in read) return read.facts;
  const { facts, tree } = analyseText(parser, file, read.text, read.version, opts);
  tree?.delete();
  return withEncodingError(facts, read.encodingError);
}

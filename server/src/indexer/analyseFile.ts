/**
 * One file → FileFacts, with the guards a 10,000-file workspace needs: size cap, safe mode, parse-time
 * cap, extraction-time cap. Shared by the in-thread path and the worker threads.
 */
import * as fs from 'fs';
import type { Parser, Tree } from 'web-tree-sitter';
import type { FileFacts } from '../model/facts';
import { unparseableReason } from '../parsing/indentGuard';
import { parseWithDeadline } from '../parsing/treeSitter';
import { passesSafeMode } from './discovery';
import { extractFileFacts } from './extractFileFacts';

/** Bump when extraction output changes, so on-disk caches written by older versions are ignored. */
export const EXTRACTOR_VERSION = 8;
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
export function analyseText(parser: Parser, file: string, text: string, version: number, opts: AnalyseOptions, oldTree?: Tree | null): { facts: FileFacts; tree: Tree | null } {
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

function extract(tree: Tree, file: string, text: string, version: number, opts: AnalyseOptions): FileFacts {
  return extractFileFacts(tree, text, file, version, opts.analysisMillis === undefined ? {} : { budgetMillis: opts.analysisMillis });
}

/** Source characters parsed ahead of their extraction in one group (a big file goes alone). */
const GROUP_BYTES = 256 * 1024;

/**
 * Read and analyse files from disk in groups: every file of a group is parsed, then every one is
 * extracted. Alternating a whole group at a time keeps the parser's and the extractor's code and data
 * in the caches in turn; at 10,000 files, two workers spend about 8 % less wall and CPU time than when
 * each file is parsed and extracted in turn. The facts are those of `analyseDisk`, in job order.
 */
export function analyseDiskGroup(parser: Parser, jobs: { file: string; opts: AnalyseOptions; stat?: { size: number; mtimeMs: number } }[]): FileFacts[] {
  const out: FileFacts[] = new Array(jobs.length);
  let i = 0;
  while (i < jobs.length) {
    const group: { at: number; text: string; version: number; tree: Tree }[] = [];
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
          group.push({ at: i, text: read.text, version: read.version, tree: parsed.tree });
          bytes += read.text.length;
        }
      }
      for (const g of group) out[g.at] = extract(g.tree, jobs[g.at]!.file, g.text, g.version, jobs[g.at]!.opts);
    } finally {
      for (const g of group) g.tree.delete();
    }
  }
  return out;
}

/** The text of a file and its version (mtime), or the facts of a file that cannot be read or is too big. */
function readFile(file: string, known?: { size: number; mtimeMs: number }): { text: string; version: number } | { facts: FileFacts } {
  let st: { size: number; mtimeMs: number };
  try {
    st = known ?? fs.statSync(file);
  } catch (e) {
    return { facts: skippedFacts(file, 0, `cannot read: ${e instanceof Error ? e.message : String(e)}`) };
  }
  if (st.size > MAX_FILE_BYTES) return { facts: skippedFacts(file, st.mtimeMs, 'larger than 2 MB: not analysed') };
  try {
    return { text: fs.readFileSync(file, 'utf8'), version: st.mtimeMs };
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
  return facts;
}

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
export const EXTRACTOR_VERSION = 6;
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
  if (Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) return { facts: skippedFacts(file, version, 'larger than 2 MB: not analysed'), tree: null };
  if (opts.safeMode && !passesSafeMode(text)) {
    return { facts: skippedFacts(file, version, 'safe mode: the file does not mention both "airflow" and "dag", so Airflow does not load it'), tree: null };
  }
  const unparseable = unparseableReason(text);
  if (unparseable) return { facts: skippedFacts(file, version, unparseable), tree: null };
  let tree: Tree | null = null;
  try {
    tree = parseWithDeadline(parser, text, opts.parseMillis ?? PARSE_MILLIS, oldTree);
  } catch (e) {
    parser.reset();
    return { facts: skippedFacts(file, version, `parser failed: ${e instanceof Error ? e.message : String(e)}`), tree: null };
  }
  if (!tree) {
    parser.reset();
    return { facts: skippedFacts(file, version, `parsing took longer than ${opts.parseMillis ?? PARSE_MILLIS} ms: not analysed`), tree: null };
  }
  const extract = opts.analysisMillis === undefined ? {} : { budgetMillis: opts.analysisMillis };
  return { facts: extractFileFacts(tree, text, file, version, extract), tree };
}

/** Read and analyse a file from disk; version is its mtime (`known`: as discovery found it). Never throws. */
export function analyseDisk(parser: Parser, file: string, opts: AnalyseOptions, known?: { size: number; mtimeMs: number }): FileFacts {
  let st: { size: number; mtimeMs: number };
  try {
    st = known ?? fs.statSync(file);
  } catch (e) {
    return skippedFacts(file, 0, `cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (st.size > MAX_FILE_BYTES) return skippedFacts(file, st.mtimeMs, 'larger than 2 MB: not analysed');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return skippedFacts(file, st.mtimeMs, `cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { facts, tree } = analyseText(parser, file, text, st.mtimeMs, opts);
  tree?.delete();
  return facts;
}

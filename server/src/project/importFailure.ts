/**
 * One answer to "does Airflow import this file?": a file with a syntax error (or undecodable bytes)
 * registers no DAG, whatever the editor still reads from its text. Every view — check, explain, hover,
 * code lens, tree, matrix and the workspace plan — says it in these words.
 */
import type { FileFacts } from '../model/facts';

/** Messages of failures of this tool, not of Python: they say nothing about the import. */
const NOT_PYTHON = /^Could not analyse this file/;

export interface ImportFailure {
  /** 1-based line of the first error Python would report. */
  line: number;
  error: string;
  /** The sentence every view shows. */
  sentence: string;
}

export function importFailure(facts: FileFacts | undefined): ImportFailure | null {
  const e = facts?.syntaxErrors.find((s) => !NOT_PYTHON.test(s.message));
  if (!e) return null;
  const line = e.range.start.line + 1;
  const error = e.message;
  return { line, error, sentence: `Airflow cannot import this file (line ${line}: ${error}): it registers none of its DAGs, and no grant from this file applies.` };
}

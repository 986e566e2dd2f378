/**
 * One answer to "does Airflow import this file?": a file with a syntax error (or undecodable bytes), or
 * one that raises while its module-level code runs (`FileFacts.importErrors`, e.g. a bare `@asset`),
 * registers no DAG, whatever the editor still reads from its text. Every view — check, explain, hover,
 * code lens, tree, matrix and the workspace plan — says it in these words.
 */
import type { FileFacts } from '../model/facts';
import type { DagAccess } from '../model/access';

/** Messages of failures of this tool, not of Python: they say nothing about the import. */
const NOT_PYTHON = /^Could not analyse this file/;

export interface ImportFailure {
  /** 1-based line of the first error Python would report. */
  line: number;
  error: string;
  /** The sentence every view shows. */
  sentence: string;
  /** `syntax`: the file does not compile (ADA099); `import`: it compiles, then raises (ADA027). */
  kind: 'syntax' | 'import';
}

export function importFailure(facts: FileFacts | undefined): ImportFailure | null {
  const syntax = facts?.syntaxErrors.find((s) => !NOT_PYTHON.test(s.message));
  // A file that does not compile runs none of its code: its syntax error is the one Python reports.
  const e = syntax ?? facts?.importErrors?.[0];
  if (!e) return null;
  const line = e.range.start.line + 1;
  const error = e.message;
  return { line, error, kind: syntax ? 'syntax' : 'import', sentence: `Airflow cannot import this file (line ${line}: ${error}): it registers none of its DAGs, and no grant from this file applies.` };
}

/** A DAG's access as Airflow sees it: none at all when its file cannot be imported (and the answer says why). */
export function accessUnlessNotImported(access: DagAccess, facts: FileFacts | undefined): DagAccess {
  const failure = importFailure(facts);
  return failure ? { ...access, roles: [], conflicts: [], summary: { canRead: 0, canEdit: 0, canDelete: 0, nonAdminReachable: false, perDagRoles: 0 }, notImported: failure.sentence } : access;
}

/** Small pure helpers shared by several rules. */
import type { Range, TagFact } from '../model/facts';

export function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** Inner range of a quoted string literal (without the quotes), for replacing its text. */
export function innerRange(r: Range, text?: string): Range {
  const quote = text && /^[rbuf]*("""|'''|"|')/i.exec(text);
  const q = quote ? quote[0].length : 1;
  if (r.start.line !== r.end.line) return r;
  return { start: { line: r.start.line, character: r.start.character + q }, end: { line: r.end.line, character: Math.max(r.start.character + q, r.end.character - (quote ? quote[1].length : 1)) } };
}

/** Whether a tag was written in this file (not imported through a constant defined elsewhere). */
export function isLocalTag(tag: TagFact, file: string): boolean {
  return !tag.via || tag.via.file === file;
}

export function quote(s: string): string {
  return `'${s}'`;
}

export function list(items: string[]): string {
  return items.map(quote).join(', ');
}

/** Where to report a tag in the file being checked, and where its literal lives (for edits). */
export function tagSite(tag: TagFact, file: string, fallback: Range): { range: Range; literalFile: string } {
  if (isLocalTag(tag, file)) return { range: tag.range, literalFile: file };
  return { range: tag.via?.refRange ?? fallback, literalFile: tag.via!.file };
}

/** Airflow's built-in FAB roles (defined once, in engine/defaultRoles). */
export { DEFAULT_ROLES as DEFAULT_ROLE_NAMES } from '../engine/defaultRoles';

/** Actions access_control accepts per resource, latest Airflow (engine/accessControl has the per-version answer). */
export { RESOURCE_ACTIONS as DAG_RESOURCE_ACTIONS, DEPRECATED_ACTIONS } from '../engine/accessControl';

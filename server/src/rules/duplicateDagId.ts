/**
 * ADA011: another DAG in the workspace has the same dag_id. Linear in the number of copies: the
 * copies of an id are collected once per file check, and each finding names at most
 * `SHOWN_PLACES` other places plus a count (a file with 5,000 copies of one id used to get 5,000
 * findings of 4,999 related places each).
 */
import type { DagRef } from '../project/dagTable';
import type { FileRule, RuleFinding } from './rule';

/** Other places named in a finding's message and related information; the rest are counted. */
export const SHOWN_PLACES = 3;

export const duplicateDagId: FileRule = {
  code: 'ADA011',
  scope: 'file',
  check({ ctx, facts }) {
    const out: RuleFinding[] = [];
    const copiesOf = new Map<string, { list: DagRef[]; at: Map<string, number> }>();
    for (const dag of facts.dags) {
      if (dag.dagId.kind !== 'static') continue;
      const id = dag.dagId.value;
      let copies = copiesOf.get(id);
      if (!copies) {
        const list = ctx.workspace.dagsWithId(id).filter((o) => o.dag.dagId.kind === 'static' && o.dag.dagId.value === id);
        copies = { list, at: new Map(list.map((o, i) => [placeKey(o.file, o.dag.range), i])) };
        copiesOf.set(id, copies);
      }
      // This DAG's own entry (by file and position: the table may hold another object for it).
      const selfAt = copies.at.get(placeKey(facts.file, dag.range)) ?? copies.list.findIndex((o) => o.dag === dag);
      const total = copies.list.length - (selfAt >= 0 ? 1 : 0);
      if (total <= 0) continue;
      const shown = copies.list.slice(0, SHOWN_PLACES + 1).filter((_, i) => i !== selfAt).slice(0, SHOWN_PLACES);
      const where = shown.map((o) => `${shortName(o.file)}:${o.dag.dagId.range.start.line + 1}`).join(', ');
      const rest = total - shown.length;
      out.push({
        file: facts.file,
        range: dag.dagId.range,
        message:
          total === 1
            ? `dag_id '${id}' is also defined in ${shortName(shown[0].file)}; Airflow keeps only one of them.`
            : `dag_id '${id}' is also defined in ${total} other places (${where}${rest > 0 ? `, and ${rest} more` : ''}); Airflow keeps only one of them.`,
        related: shown.map((o) => ({ file: o.file, range: o.dag.dagId.range, message: `'${id}' is also defined here` })),
      });
    }
    return out;
  },
};

function placeKey(file: string, range: { start: { line: number; character: number } }): string {
  return `${file}\u0000${range.start.line}:${range.start.character}`;
}

function shortName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

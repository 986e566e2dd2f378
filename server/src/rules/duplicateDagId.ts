/** ADA011: another DAG in the workspace has the same dag_id. */
import type { FileRule, RuleFinding } from './rule';

export const duplicateDagId: FileRule = {
  code: 'ADA011',
  scope: 'file',
  check({ project, facts }) {
    const out: RuleFinding[] = [];
    for (const dag of facts.dags) {
      if (dag.dagId.kind !== 'static') continue;
      const id = dag.dagId.value;
      const others = project.table.dagsWithId(id).filter((o) => o.dag !== dag && o.dag.dagId.kind === 'static' && o.dag.dagId.value === id && !(o.file === facts.file && sameRange(o.dag.range, dag.range)));
      if (!others.length) continue;
      out.push({
        file: facts.file,
        range: dag.dagId.range,
        message: `dag_id '${id}' is also defined ${others.length === 1 ? 'in ' + shortName(others[0].file) : `in ${others.length} other places`}; Airflow keeps only one of them.`,
        related: others.map((o) => ({ file: o.file, range: o.dag.dagId.range, message: `'${id}' is also defined here` })),
      });
    }
    return out;
  },
};

function sameRange(a: { start: { line: number; character: number } }, b: { start: { line: number; character: number } }): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character;
}

function shortName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

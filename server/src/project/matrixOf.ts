/** The access matrix of an opened project: every DAG with a static id, its tags, team and access. */
import { buildMatrix, type Matrix, type MatrixEntry } from '../engine/matrix';
import { externalAccessNote } from '../engine/externalAuthAccess';
import type { Project } from './project';

/** `checkCancelled` runs between DAGs (the editor's request throws there when cancelled). */
export function matrixOf(project: Project, checkCancelled: () => void = () => {}): Matrix {
  const entries: MatrixEntry[] = [];
  for (const { file, dag } of project.allDags()) {
    if (dag.dagId.kind !== 'static') continue;
    checkCancelled();
    const access = project.dagAccess(file, dag);
    if (!access) continue;
    const tags = [...new Set(dag.tags?.items.map((t) => t.value) ?? [])];
    entries.push({ dagId: dag.dagId.value, file, range: dag.dagId.range, tags, team: project.teamOf(file), access });
  }
  return buildMatrix(entries, externalAccessNote(project.config?.airflow.authManager ?? 'fab'));
}

/** Looking DAGs up by id in an opened project. */
import type { Project, DagRef } from '../project/project';

/** The DAG with this static dag_id (the first one when the id is duplicated). */
export function findDag(project: Project, dagId: string): DagRef | undefined {
  return project.allDags().find(({ dag }) => dag.dagId.kind === 'static' && dag.dagId.value === dagId);
}

/** Every DAG with a static id, in file order. */
export function staticDags(project: Project): (DagRef & { dagId: string })[] {
  return project.allDags().flatMap((ref) => (ref.dag.dagId.kind === 'static' ? [{ ...ref, dagId: ref.dag.dagId.value }] : []));
}

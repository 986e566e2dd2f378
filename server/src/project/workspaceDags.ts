/**
 * The workspace's DAGs as the sync sees them with `--tag-source workspace` (and `demo-db`): static
 * DAG ids with their literal tags. A DAG in a file with syntax errors is marked: Airflow cannot
 * import that file, so the sync leaves its DAGs out and says why.
 */
import type { WorkspaceDag } from '../sync/types';
import { importFailure } from './importFailure';
import type { Project } from './project';

export function workspaceDags(project: Project): WorkspaceDag[] {
  const out: WorkspaceDag[] = [];
  for (const facts of project.files()) {
    const broken = importFailure(facts);
    for (const dag of facts.dags) {
      if (dag.dagId.kind !== 'static') continue;
      out.push({
        dagId: dag.dagId.value,
        tags: dag.tags?.items.map((t) => t.value) ?? [],
        file: facts.file,
        hasAccessControl: dag.accessControl !== null && dag.accessControl.kind !== 'none',
        ...(broken ? { importError: broken.sentence } : {}),
      });
    }
  }
  return out;
}

/**
 * The workspace's DAGs as the sync sees them with `--tag-source workspace` (and `demo-db`): static
 * DAG ids with their literal tags. A DAG in a file with syntax errors is marked: Airflow cannot
 * import that file, so the sync leaves its DAGs out and says why.
 */
import type { WorkspaceDag } from '../sync/types';
import { accessControlMode, readAccessControl } from '../engine/accessControl';
import { accessControlGrantKey } from '../model/accessControlReverts';
import type { DagFact } from '../model/facts';
import { importFailure } from './importFailure';
import type { Project } from './project';

export function workspaceDags(project: Project): WorkspaceDag[] {
  const out: WorkspaceDag[] = [];
  const version = project.airflowVersion();
  for (const facts of project.files()) {
    const broken = importFailure(facts);
    for (const dag of facts.dags) {
      if (dag.dagId.kind !== 'static') continue;
      out.push({
        dagId: dag.dagId.value,
        tags: dag.tags?.items.map((t) => t.value) ?? [],
        file: facts.file,
        hasAccessControl: dag.accessControl !== null && dag.accessControl.kind !== 'none',
        ...accessControlKeeps(dag, version),
        ...(broken ? { importError: broken.sentence } : {}),
      });
    }
  }
  return out;
}

/** The grants an authoritative access_control keeps (read as the access engine reads it), for the planner's warning. */
function accessControlKeeps(dag: DagFact, version: string | null): Pick<WorkspaceDag, 'accessControlKeeps'> {
  const mode = accessControlMode(dag.accessControl);
  if (mode !== 'dict' && mode !== 'empty') return {};
  return { accessControlKeeps: readAccessControl(dag.accessControl, version).target.map((g) => accessControlGrantKey(g.role, g.resource, g.action)) };
}

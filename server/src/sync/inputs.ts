/** Turn an `AccessConfig` (+ tag source and workspace DAGs) into the plan's JSON-safe inputs. */
import type { AccessConfig } from '../model/config';
import type { PlanInputs, TagSource, WorkspaceDag } from './types';

export interface PlanOptions {
  tagSource: TagSource;
  workspaceDags?: WorkspaceDag[];
}

export function planInputs(config: AccessConfig, opts: PlanOptions): PlanInputs {
  const uniq = (xs: string[]) => [...new Set(xs)];
  return {
    roles: config.roles.map((r) => ({
      name: r.name,
      tags: uniq(r.tags.map((t) => t.value)),
      dagActions: uniq(r.dagPermissions.map((p) => p.value)),
      dagRunActions: uniq(r.dagRunPermissions.map((p) => p.value)),
      cleanup: r.cleanup,
      baseRole: r.baseRole ? r.baseRole : null,
      ...(r.baseRoleDagWide ? { baseRoleDagWide: true as const } : {}),
      ...(r.revokeDagWide ? { revokeDagWide: true as const } : {}),
    })),
    tagPattern: config.permissionTagPattern ? { source: config.permissionTagPattern.regex.source, flags: config.permissionTagPattern.regex.flags.replace(/[gy]/g, '') } : null,
    manageBuiltin: config.manageBuiltin,
    airflowVersion: config.airflow.version,
    tagSource: opts.tagSource,
    workspaceDags: opts.workspaceDags
      ? opts.workspaceDags.map((d) => ({ dagId: d.dagId, tags: uniq(d.tags), file: d.file, hasAccessControl: d.hasAccessControl, ...(d.accessControlKeeps ? { accessControlKeeps: [...d.accessControlKeeps].sort() } : {}), ...(d.importError ? { importError: d.importError } : {}) }))
      : null,
  };
}

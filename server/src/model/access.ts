/**
 * Output of the access engine: who can do what with a DAG, and why. Pure data.
 */
import type { Range } from './facts';

export type Provenance =
  | { kind: 'tag'; tag: string; role: string; configFile: string; configRange: Range; tagFile: string; tagRange: Range }
  | { kind: 'access_control'; role: string; file: string; range: Range }
  | { kind: 'default_role'; role: string; resource: 'DAGs' | 'DAG Runs' }
  | { kind: 'db'; role: string; resource: string }
  | { kind: 'file_auth'; role: 'viewer' | 'editor' | 'admin'; users: string[] };

export interface Grant {
  role: string;
  /** 'DAGs' for DAG actions, 'DAG Runs' for DAG run actions. Per-DAG resource is DAG:<id> / DAG Run:<id>. */
  resource: 'DAGs' | 'DAG Runs';
  action: string;
  /** Scope of the grant: global (the role holds the action on all DAGs) or this DAG only. */
  scope: 'global' | 'dag';
  via: Provenance[];
  /** True when Airflow will revert this grant at the next parse because the DAG's access_control is authoritative. */
  reverted?: boolean;
}

export interface RoleAccess {
  role: string;
  builtin: boolean;
  grants: Grant[];
  /** Effective DAG actions after precedence (reverted grants excluded). */
  dagActions: string[];
  dagRunActions: string[];
  /** can_edit without can_read: the DAG is not listed for this role. */
  editWithoutRead: boolean;
}

export interface AccessConflict {
  kind: 'tag_reverted_by_access_control' | 'edit_without_read' | 'nested_needs_2_10' | 'deprecated_action' | 'no_effect_file_auth';
  message: string;
  range: Range;
  role?: string;
}

export interface DagAccess {
  dagId: string;
  roles: RoleAccess[];
  conflicts: AccessConflict[];
  /** Counts for the code lens. */
  summary: { canRead: number; canEdit: number; canDelete: number; nonAdminReachable: boolean };
}

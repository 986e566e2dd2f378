/**
 * Output of the access engine: who can do what with a DAG, and why. Pure data.
 */
import type { Range } from './facts';

export type Provenance =
  | { kind: 'tag'; tag: string; role: string; configFile: string; configRange: Range; tagFile: string; tagRange: Range }
  | { kind: 'access_control'; role: string; file: string; range: Range }
  | { kind: 'default_role'; role: string; resource: 'DAGs' | 'DAG Runs' }
  | { kind: 'db'; role: string; resource: string }
  /** The role was created from `base_role` (config) and so holds that role's global permissions. */
  | { kind: 'base_role'; role: string; baseRole: string; configFile: string; configRange: Range }
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
  kind:
    | 'tag_reverted_by_access_control'
    | 'edit_without_read'
    | 'nested_needs_2_10'
    | 'deprecated_action'
    | 'no_effect_file_auth'
    /** Added: an action Airflow rejects for that resource (e.g. can_edit on DAG Runs); the DAG fails to import. */
    | 'invalid_action'
    /** Added: a nested key other than 'DAGs' / 'DAG Runs'; the DAG fails to import. */
    | 'invalid_resource'
    /** Added: a DB grant Airflow revokes at the next parse because access_control is authoritative. */
    | 'db_grant_reverted'
    /** Added: access_control could not be read statically; grants may differ. */
    | 'access_control_dynamic'
    /** Added: tag grants for DAG Runs need Airflow >= 2.10. */
    | 'dag_run_needs_2_10';
  message: string;
  /** Where to show it. For tag-based conflicts this is the tag in the DAG file. */
  range: Range;
  /** File of `range` when it is not the DAG file (e.g. the config file). */
  file?: string;
  severity?: 'error' | 'warning' | 'info';
  role?: string;
}

/** One row of the metadata DB (ab_permission_view_role) relevant to a DAG. */
export interface DbDagGrant {
  role: string;
  resource: 'DAGs' | 'DAG Runs';
  action: string;
  /** 'global': on DAGs / DAG Runs; 'dag': on DAG:<id> / DAG Run:<id>. */
  scope: 'global' | 'dag';
}

export interface DagAccess {
  dagId: string;
  roles: RoleAccess[];
  conflicts: AccessConflict[];
  /** Counts for the code lens. */
  /**
   * Counts for the code lens (effective, after precedence). `nonAdminReachable`: some role other
   * than Admin can read or edit the DAG. `perDagRoles`: roles holding an effective per-DAG grant.
   */
  summary: { canRead: number; canEdit: number; canDelete: number; nonAdminReachable: boolean; perDagRoles?: number };
  /** Airflow version the answer assumes (null: latest) and the auth manager. */
  airflowVersion?: string | null;
  authManager?: 'fab' | 'file';
  /** Effect of the DAG's access_control: 'absent'/'none' keep DB grants, 'dict' is authoritative, 'empty' wipes. */
  accessControlMode?: 'absent' | 'none' | 'dict' | 'empty' | 'dynamic';
  /** Set when Airflow cannot import the DAG's file: the sentence every view shows (roles and counts are then empty). */
  notImported?: string;
}

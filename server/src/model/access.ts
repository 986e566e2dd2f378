/**
 * Output of the access engine: who can do what with a DAG, and why. Pure data.
 */
import type { Range } from './facts';
import type { AuthManagerKind } from './config';

export type Provenance =
  /** `match: 'pattern'`: permission_tag_pattern's `role` group names the role (configRange: the pattern). */
  | { kind: 'tag'; tag: string; role: string; configFile: string; configRange: Range; tagFile: string; tagRange: Range; match?: 'pattern' }
  | { kind: 'access_control'; role: string; file: string; range: Range }
  | { kind: 'default_role'; role: string; resource: 'DAGs' | 'DAG Runs' }
  | { kind: 'db'; role: string; resource: string }
  /** The role was created from `base_role` (config) and so holds that role's global permissions. */
  | { kind: 'base_role'; role: string; baseRole: string; configFile: string; configRange: Range }
  | { kind: 'file_auth'; role: 'viewer' | 'editor' | 'admin'; users: string[] }
  /** A role of Airflow's simple auth manager (global: the same on every DAG), with the users holding it. */
  | { kind: 'simple_auth'; role: SimpleRole; users: string[] };

export type SimpleRole = 'viewer' | 'user' | 'op' | 'admin';
/** What one can do with a DAG: read it, trigger it (create a DAG run), edit it (pause, update), delete it. */
export type DagOperation = 'read' | 'trigger' | 'edit' | 'delete';

/**
 * The answer of an auth manager that does not use FAB roles (simple, keycloak, aws). For simple:
 * who may do what per role and per user. For keycloak / aws: the authorization requests Airflow
 * sends the external policy engine for this DAG (the policies there decide).
 */
export interface AuthManagerAnswer {
  authManager: Exclude<AuthManagerKind, 'fab' | 'file'>;
  /** One sentence: where DAG access is decided. */
  decidedBy: string;
  /** simple: `[core] simple_auth_manager_all_admins` is on (everyone is an anonymous admin). */
  allAdmins?: boolean;
  /** simple: where the users were read from (null: no users found). */
  usersSource?: { kind: 'env' | 'airflow.cfg'; name: string; file?: string; range?: Range } | null;
  roles?: { role: SimpleRole; operations: Record<DagOperation, boolean>; users: string[] }[];
  users?: { username: string; role: SimpleRole; teams: string[]; operations: Record<DagOperation, boolean> }[];
  /** simple: entries of simple_auth_manager_users Airflow cannot use (unknown or missing role), left out above. */
  invalidUsers?: { entry: string; reason: string }[];
  /** keycloak / aws: one request per operation. */
  requests?: { operation: DagOperation; method: string; resourceType: string; resourceId: string; dagEntity: string | null; permission: string }[];
}

export interface Grant {
  role: string;
  /** 'DAGs' for DAG actions, 'DAG Runs' for DAG run actions. Per-DAG resource is DAG:<id> / DAG Run:<id>. */
  resource: 'DAGs' | 'DAG Runs';
  action: string;
  /** Scope of the grant: global (the role holds the action on all DAGs) or this DAG only. */
  scope: 'global' | 'dag';
  via: Provenance[];
  /** True when Airflow will revert this grant when it next syncs the DAG's access_control (see whenAirflowReverts). */
  reverted?: boolean;
  /**
   * A per-DAG 'DAG Run:<id>' grant that gives nothing: the role lacks the DAG action Airflow checks
   * first (can_read to read runs, can_edit to create or delete them). The sync still writes it.
   */
  needsDag?: 'can_read' | 'can_edit';
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
    /** Added: a tag or access_control under an auth manager that ignores FAB grants (simple, keycloak, aws). */
    | 'no_effect_auth_manager'
    /** Added: an action Airflow rejects for that resource (e.g. can_edit on DAG Runs); the DAG fails to import. */
    | 'invalid_action'
    /** Added: a nested key other than 'DAGs' / 'DAG Runs'; the DAG fails to import. */
    | 'invalid_resource'
    /** Added: a DB grant Airflow revokes at the next parse because access_control is authoritative. */
    | 'db_grant_reverted'
    /** Added: access_control could not be read statically; grants may differ. */
    | 'access_control_dynamic'
    /** Added: tag grants for DAG Runs need Airflow >= 2.10. */
    | 'dag_run_needs_2_10'
    /** Added: access_control names a role that does not exist; Airflow's sync fails the DAG's import. */
    | 'unknown_role'
    /** Added: the Airflow version names a minor release whose patches differ for this DAG. */
    | 'version_ambiguous';
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
  authManager?: AuthManagerKind;
  /** simple / keycloak / aws: the auth manager's own answer (per role and user, or the external requests). */
  authAnswer?: AuthManagerAnswer;
  /** Effect of the DAG's access_control: 'absent'/'none' keep DB grants, 'dict' is authoritative, 'empty' wipes. */
  accessControlMode?: 'absent' | 'none' | 'dict' | 'empty' | 'dynamic';
  /** Set when Airflow cannot import the DAG's file: the sentence every view shows (roles and counts are then empty). */
  notImported?: string;
}

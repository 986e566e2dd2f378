/**
 * The role-mapping config after validation and normalisation. The zod schema in `config/schema.ts`
 * is the single truth for the file format; this is the in-memory shape every other module reads.
 * Every value keeps the YAML range it came from so findings can point at it.
 */
import type { IgnoreSyntax } from './ignoreSyntax';
import type { Located, Range } from './facts';

export type DagAction = 'can_read' | 'can_edit' | 'can_delete';
export type DagRunAction = 'can_read' | 'can_create' | 'can_delete' | 'menu_access';
export type AuthManagerKind = 'fab' | 'file' | 'simple' | 'keycloak' | 'aws';

export interface RoleConfig {
  name: string;
  nameRange: Range;
  /** Range of the whole role mapping entry. */
  range: Range;
  tags: Located<string>[];
  dagPermissions: Located<DagAction>[];
  dagRunPermissions: Located<DagRunAction>[];
  /** Revoke per-DAG grants of this role that the config no longer explains. */
  cleanup: boolean;
  /** Role whose permissions a newly created role starts from. */
  baseRole: string;
  /**
   * Copy the base role's DAG-wide grants ('DAGs' resource: every DAG) too. Absent / false: a role the
   * sync creates gets the base role's permissions except DAG-wide access (docs/access-model.md).
   */
  baseRoleDagWide?: boolean;
  /** Revoke DAG-wide grants ('DAGs' resource) the role already holds in the database. */
  revokeDagWide?: boolean;
}

export interface TeamConfig {
  name: string;
  nameRange: Range;
  bundles: string[];
  /** Globs relative to the workspace root. */
  paths: string[];
}

export interface AccessConfig {
  /** Absolute path of the file this came from. */
  file: string;
  /** Which input format it was read from. */
  format: 'v1' | 'seed-yaml' | 'seed-python';
  permissionTagPattern: { source: string; regex: RegExp; range: Range } | null;
  roles: RoleConfig[];
  airflow: {
    /** "major.minor[.patch]" e.g. "2.10" or "2.7.1", or null when unknown (assume latest). */
    version: string | null;
    authManager: AuthManagerKind;
    multiTeam: boolean;
    /** `airflow.dag_ignore_file_syntax` when set (model/ignoreSyntax.ts says what applies otherwise). */
    ignoreFileSyntax?: IgnoreSyntax;
  };
  teams: TeamConfig[];
  usersFile: string | null;
  /** Built-in roles (Admin, Op, User, Viewer, Public) may be modified by the sync only when true. */
  manageBuiltin: boolean;
  dags: { include: string[]; exclude: string[] };
}

export interface ConfigProblem {
  code: string;
  message: string;
  range: Range;
  severity: 'error' | 'warning' | 'info';
  /** The message's "did you mean" text, to put at `range` (a quick fix). */
  replacement?: string;
}

export interface ConfigLoadResult {
  config: AccessConfig | null;
  problems: ConfigProblem[];
}

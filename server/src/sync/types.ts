/**
 * The sync plan: pure JSON data, names only (no database ids), so it can be shown, stored, turned
 * into a SQL script or an Airflow DAG, and re-checked against the database at apply time.
 */
import type { Dialect } from '../db/types';

export const PLAN_FORMAT = 'airflow-dag-access/plan@1';

export type TagSource = 'db' | 'workspace';

export interface WorkspaceDag {
  dagId: string;
  tags: string[];
  file: string;
  hasAccessControl: boolean;
  /**
   * When the DAG's access_control is authoritative (a dict, or `{}`): the grants it lists, as
   * model/accessControlReverts keys. Absent when it is None, unset or unreadable.
   */
  accessControlKeeps?: string[];
  /** Why Airflow cannot import the DAG's file (a syntax error): the sync leaves the DAG out. */
  importError?: string;
}

/** The part of the config the plan depends on (normalised, JSON-safe). */
export interface PlanRole {
  name: string;
  tags: string[];
  dagActions: string[];
  dagRunActions: string[];
  cleanup: boolean;
  baseRole: string | null;
  /** Copy the base role's DAG-wide grants ('DAGs') too; absent: they are left out. */
  baseRoleDagWide?: true;
  /** Revoke the role's DAG-wide grants ('DAGs' can_read / can_edit / can_delete) held in the database. */
  revokeDagWide?: true;
}

export interface PlanInputs {
  roles: PlanRole[];
  /** `permissionTagPattern`: a tag matching it grants the config role its `role` group names (model/tagResolver.ts). */
  tagPattern: { source: string; flags: string } | null;
  manageBuiltin: boolean;
  /** "major.minor" from the config, or null. */
  airflowVersion: string | null;
  tagSource: TagSource;
  workspaceDags: WorkspaceDag[] | null;
}

export interface GrantChange {
  role: string;
  action: string;
  resource: string;
  /** The DAG of a per-DAG resource, null for copied base-role permissions. */
  dagId: string | null;
  /** Why: `tag "finance"`, `copied from Viewer`, `not explained by the config`. */
  reason: string;
}

export interface PlanWarning {
  code: string;
  message: string;
  dagId?: string;
  role?: string;
  file?: string;
}

export interface TagDiff {
  dagId: string;
  file: string | null;
  workspace: string[] | null;
  /** null: the DAG is not (or no longer) live in the database. */
  deployed: string[] | null;
}

export interface PlanSummary {
  add: number;
  revoke: number;
  createRoles: number;
  createResources: number;
  createPermissionViews: number;
  createActions: number;
  warnings: number;
}

export interface SyncPlan {
  format: typeof PLAN_FORMAT;
  /** Content hash of inputs and changes: same DB + same config → same id. */
  planId: string;
  target: { dialect: Dialect; airflowMajor: 2 | 3 | null; dagRunResources: boolean };
  tagSource: TagSource;
  inputs: PlanInputs;
  /** `dagWideLeftOut`: the base role's DAG-wide actions ('DAGs') not copied (base_role_dag_wide is off). */
  createRoles: { name: string; baseRole: string | null; copied: number; dagWideLeftOut?: string[] }[];
  createActions: string[];
  createResources: string[];
  createPermissionViews: { action: string; resource: string }[];
  addGrants: GrantChange[];
  revokeGrants: GrantChange[];
  warnings: PlanWarning[];
  tagDiffs: TagDiff[];
  summary: PlanSummary;
  empty: boolean;
}

/** Airflow's built-in roles (defined once, in engine/defaultRoles). */
export { DEFAULT_ROLES as BUILTIN_ROLES } from '../model/defaultRoles';
export const DAG_PREFIX = 'DAG:';
export const DAG_RUN_PREFIX = 'DAG Run:';
export const RESOURCE_NAME_MAX = 250;
export const ROLE_NAME_MAX = 64;

/** The resource whose actions reach every DAG (airflow/security/permissions.py RESOURCE_DAG). */
export const DAG_WIDE_RESOURCE = 'DAGs';
/** Actions on 'DAGs' that reach every DAG; menu_access only shows the menu entry. */
export const DAG_WIDE_ACTIONS: readonly string[] = ['can_read', 'can_edit', 'can_delete'];

export function isDagWideGrant(action: string, resource: string): boolean {
  return resource === DAG_WIDE_RESOURCE && DAG_WIDE_ACTIONS.includes(action);
}

export function isPerDagResource(name: string): boolean {
  return name.startsWith(DAG_PREFIX) || name.startsWith(DAG_RUN_PREFIX);
}

export function dagIdOf(resource: string): string | null {
  if (resource.startsWith(DAG_RUN_PREFIX)) return resource.slice(DAG_RUN_PREFIX.length);
  if (resource.startsWith(DAG_PREFIX)) return resource.slice(DAG_PREFIX.length);
  return null;
}

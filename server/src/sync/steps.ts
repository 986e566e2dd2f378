/**
 * The ordered write statements for a plan's changes: actions, roles, resources, permission-views,
 * grants, then revocations. Used by applyPlan (bound parameters) and by the SQL script / sync DAG
 * generators (same statements, so the offline path does exactly what apply does).
 */
import { dialectFor } from '../db/dialects';
import type { SchemaInfo } from '../db/schema';
import type { Dialect } from '../db/types';
import { deleteGrants, insertGrants, insertNames, insertPermissionViews, type IdTable, type SqlContext, type Stmt } from './statements';
import type { SyncPlan } from './types';

export type Changes = Pick<SyncPlan, 'createActions' | 'createRoles' | 'createResources' | 'createPermissionViews' | 'addGrants' | 'revokeGrants'>;

export interface Step {
  label: string;
  stmt: Stmt;
}

export function planSteps(ctx: SqlContext, c: Changes): Step[] {
  const steps: Step[] = [];
  if (c.createActions.length) steps.push({ label: `create ${c.createActions.length} action(s)`, stmt: insertNames(ctx, 'ab_permission', c.createActions) });
  if (c.createRoles.length) steps.push({ label: `create ${c.createRoles.length} role(s)`, stmt: insertNames(ctx, 'ab_role', c.createRoles.map((r) => r.name)) });
  if (c.createResources.length) steps.push({ label: `create ${c.createResources.length} resource(s)`, stmt: insertNames(ctx, 'ab_view_menu', c.createResources) });
  if (c.createPermissionViews.length) steps.push({ label: `create ${c.createPermissionViews.length} permission(s)`, stmt: insertPermissionViews(ctx, c.createPermissionViews) });
  if (c.addGrants.length) steps.push({ label: `add ${c.addGrants.length} grant(s)`, stmt: insertGrants(ctx, c.addGrants) });
  if (c.revokeGrants.length) steps.push({ label: `revoke ${c.revokeGrants.length} grant(s)`, stmt: deleteGrants(ctx, c.revokeGrants) });
  return steps;
}

/** Context from a detected schema (live apply / rollback). */
export function contextFromSchema(s: SchemaInfo): SqlContext {
  return {
    dialect: s.dialect,
    idExpr: (t: IdTable) => (s.idExpr[t] === undefined ? null : s.idExpr[t]!),
    mysqlNameType: (t) => s.nameTypes[t] ?? defaultNameType(t),
  };
}

/** Context without a connection (SQL script, sync DAG): PG uses the `<table>_id_seq` names Airflow creates. */
export function contextForScript(dialect: Dialect): SqlContext {
  const d = dialectFor(dialect);
  return { dialect, idExpr: (t: IdTable) => d.scriptIdExpr(t), mysqlNameType: defaultNameType };
}

function defaultNameType(t: 'ab_role' | 'ab_permission' | 'ab_view_menu'): string {
  // No explicit charset: JSON_TABLE's column then coerces to the table column's collation.
  return `VARCHAR(${t === 'ab_role' ? 64 : t === 'ab_permission' ? 100 : 250})`;
}

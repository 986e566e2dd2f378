/**
 * The planner's scope rules, checked again on a plan that comes from a file (`generate-sync-dag
 * --plan`): a plan is plain JSON, and an edited one could revoke a built-in role's grant or touch a
 * role the config does not own. The rules are the ones `planSync` follows (plan.ts, desired.ts):
 * only roles the config names; never Admin; built-in roles only with `manage_builtin: true`;
 * revocations only of roles with `cleanup: true`, and only on per-DAG resources; additions on
 * per-DAG resources only of the actions the role is configured with; grants on other resources only
 * for a role the same plan creates (the copy of its base role).
 */
import { isBuiltin } from './desired';
import { DAG_PREFIX, DAG_RUN_PREFIX, isPerDagResource, type GrantChange, type PlanRole, type SyncPlan } from './types';

/** What the rules are read from: the plan's own inputs, or the current config's (planInputs). */
export interface SafetyRules {
  roles: PlanRole[];
  manageBuiltin: boolean;
}

const isStr = (x: unknown): x is string => typeof x === 'string';

/** Each broken rule, one line each, in plan order (empty: the plan keeps every rule). */
export function planViolations(plan: SyncPlan, rules: SafetyRules): string[] {
  const shape = shapeProblem(plan);
  if (shape) return [shape];
  const out: string[] = [];
  const roles = new Map(rules.roles.map((r) => [r.name, r]));
  const notManaged = (role: string): string | null => {
    if (role === 'Admin') return 'Admin is never changed by the sync';
    if (isBuiltin(role) && !rules.manageBuiltin) return `built-in role ${JSON.stringify(role)} is not changed without manage_builtin: true`;
    if (!roles.has(role)) return `role ${JSON.stringify(role)} is not in the config`;
    return null;
  };
  const created = new Set<string>();
  for (const r of plan.createRoles) {
    const why = notManaged(r.name);
    if (why) out.push(`create role ${JSON.stringify(r.name)}: ${why}`);
    created.add(r.name);
  }
  const what = (verb: string, g: GrantChange) => `${verb} ${g.action} on ${JSON.stringify(g.resource)} ${verb === 'grant' ? 'to' : 'from'} ${JSON.stringify(g.role)}`;
  for (const g of plan.addGrants) {
    const why = notManaged(g.role) ?? addProblem(g, roles.get(g.role)!, created.has(g.role));
    if (why) out.push(`${what('grant', g)}: ${why}`);
  }
  for (const g of plan.revokeGrants) {
    const why =
      notManaged(g.role) ??
      (!roles.get(g.role)!.cleanup ? `role ${JSON.stringify(g.role)} does not have cleanup: true` : !isPerDagResource(g.resource) ? 'only per-DAG grants are ever revoked' : null);
    if (why) out.push(`${what('revoke', g)}: ${why}`);
  }
  for (const res of plan.createResources) if (!isPerDagResource(res)) out.push(`create resource ${JSON.stringify(res)}: only per-DAG resources are created`);
  return out;
}

function addProblem(g: GrantChange, role: PlanRole, createdHere: boolean): string | null {
  const configured = g.resource.startsWith(DAG_RUN_PREFIX) ? role.dagRunActions : g.resource.startsWith(DAG_PREFIX) ? role.dagActions : null;
  if (configured === null) return createdHere ? null : 'grants on resources other than DAG: and DAG Run: are only copied to a role the plan creates';
  // A new role's copy of its base role leaves per-DAG grants out (planCore.ts), so these come from tags only.
  return configured.includes(g.action) ? null : `the config gives ${JSON.stringify(role.name)} ${configured.length ? configured.join(', ') : 'no actions'} there`;
}

/** A plan whose lists are not lists of names cannot be checked (or applied). */
function shapeProblem(plan: SyncPlan): string | null {
  const p = plan as unknown as Record<string, unknown>;
  const grants = (k: string) => Array.isArray(p[k]) && (p[k] as GrantChange[]).every((g) => g && isStr(g.role) && isStr(g.action) && isStr(g.resource));
  if (!grants('addGrants') || !grants('revokeGrants')) return 'its addGrants/revokeGrants are not lists of {role, action, resource}';
  if (!Array.isArray(p.createRoles) || !(p.createRoles as { name: unknown }[]).every((r) => r && isStr(r.name))) return 'its createRoles is not a list of {name}';
  if (!Array.isArray(p.createResources) || !(p.createResources as unknown[]).every(isStr)) return 'its createResources is not a list of names';
  const inputs = p.inputs as { roles?: unknown } | undefined;
  if (!inputs || !Array.isArray(inputs.roles)) return 'its inputs.roles is missing';
  return null;
}

/** The plan's own inputs as rules (what it claims it was planned from). */
export function rulesOfPlan(plan: SyncPlan): SafetyRules {
  const inputs = (plan as Partial<SyncPlan>).inputs;
  const list = (x: unknown) => (Array.isArray(x) ? x.filter(isStr) : []);
  const roles = (Array.isArray(inputs?.roles) ? inputs.roles : []).filter((r) => r && isStr(r.name));
  return {
    roles: roles.map((r) => ({ name: r.name, tags: list(r.tags), dagActions: list(r.dagActions), dagRunActions: list(r.dagRunActions), cleanup: r.cleanup === true, baseRole: isStr(r.baseRole) ? r.baseRole : null })),
    manageBuiltin: inputs?.manageBuiltin === true,
  };
}

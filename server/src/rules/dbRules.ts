/**
 * Rules on config roles against the metadata database: ADA023 config role missing in the DB, ADA024
 * drift, ADA026 a config role that can read (or edit) every DAG.
 */
import { globalDagActions, isDefaultRole } from '../engine/defaultRoles';
import { dagWideMessage } from '../sync/dagWide';
import { DAG_WIDE_ACTIONS } from '../sync/types';
import type { ConfigRule, RuleFinding } from './rule';
import { underFab } from './authManagerRules';

export const roleMissingInDb: ConfigRule = {
  code: 'ADA023',
  scope: 'config',
  check({ ctx }) {
    const c = ctx.config;
    const names = ctx.db.roleNames();
    // Only the FAB auth manager reads roles from the database; the sync refuses otherwise.
    if (!c || !names || c.airflow.authManager !== 'fab') return [];
    return c.roles
      .filter((r) => !names.has(r.name))
      .map((r) => ({
        file: c.file,
        range: r.nameRange,
        message: `Role '${r.name}' does not exist in the metadata database yet; the sync creates it (from ${r.baseRole}) when applied.`,
      }));
  },
};

export const dbDrift: ConfigRule = {
  code: 'ADA024',
  scope: 'config',
  check({ ctx }) {
    const c = ctx.config;
    const plan = c ? ctx.db.drift() : null;
    if (!c || !plan) return [];
    const out: RuleFinding[] = [];
    for (const role of c.roles) {
      const add = plan.addGrants.filter((g) => g.role === role.name);
      const revoke = plan.revokeGrants.filter((g) => g.role === role.name);
      if (!add.length && !revoke.length) continue;
      const parts: string[] = [];
      if (add.length) parts.push(`${add.length} grant(s) the config explains are not applied (e.g. ${add[0].action} on ${add[0].resource})`);
      if (revoke.length) parts.push(`${revoke.length} grant(s) in the database are not explained by the config (e.g. ${revoke[0].action} on ${revoke[0].resource})`);
      out.push({ file: c.file, range: role.nameRange, message: `Drift for role '${role.name}': ${parts.join('; ')}. Plan and apply the sync to reconcile.` });
    }
    return out;
  },
};

/**
 * ADA026: a config role holds DAG-wide access ('DAGs' resource: every DAG), so its tags restrict
 * nothing. Sources: grants the role holds in the database (the plan's `role-dag-wide` warnings, same
 * text), or, for a role the database lacks (or without a database), `base_role_dag_wide: true` on a
 * default base role that reads every DAG. access_control cannot give DAG-wide access: it writes only
 * `DAG:<dag_id>` / `DAG Run:<dag_id>` (`_sync_dag_view_permissions`, airflow/www/security.py).
 * FAB only: under another auth manager no FAB role or grant decides anything (ADA031 says so per DAG).
 */
export const roleReadsEveryDag: ConfigRule = {
  code: 'ADA026',
  scope: 'config',
  check({ ctx }) {
    const c = ctx.config;
    if (!c || !underFab(ctx)) return [];
    const names = ctx.db.roleNames();
    const plan = names ? ctx.db.drift() : null;
    const out: RuleFinding[] = [];
    for (const role of c.roles) {
      if (isDefaultRole(role.name)) continue;
      const planRole = { name: role.name, tags: [...new Set(role.tags.map((t) => t.value))], dagActions: role.dagPermissions.map((p) => p.value), dagRunActions: role.dagRunPermissions.map((p) => p.value) };
      let message: string | undefined;
      if (plan && names?.has(role.name)) message = plan.warnings.find((w) => w.code === 'role-dag-wide' && w.role === role.name)?.message;
      else if (role.baseRoleDagWide && isDefaultRole(role.baseRole) && !(names && !names.has(role.baseRole))) {
        const wide = globalDagActions(role.baseRole, 'DAGs', c.airflow.version).filter((a) => DAG_WIDE_ACTIONS.includes(a));
        if (wide.length) message = dagWideMessage(planRole, DAG_WIDE_ACTIONS.filter((a) => wide.includes(a)), { kind: 'base_role', baseRole: role.baseRole });
      }
      if (message) out.push({ file: c.file, range: role.nameRange, message });
    }
    return out;
  },
};

/** Rules that need the metadata database: ADA023 config role missing in the DB, ADA024 drift. */
import type { ConfigRule, RuleFinding } from './rule';

export const roleMissingInDb: ConfigRule = {
  code: 'ADA023',
  scope: 'config',
  check({ project }) {
    const c = project.config;
    const names = project.db.roleNames();
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
  check({ project }) {
    const c = project.config;
    const plan = c ? project.db.drift() : null;
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

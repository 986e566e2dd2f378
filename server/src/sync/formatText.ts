/** Terraform-style plan text: `+` add, `-` revoke, `~` differs, `!` warning, and a summary line. */
import * as path from 'path';
import { dialectFor, isDialect } from '../db/dialects';
import { shown as s } from '../model/terminalText';
import type { GrantChange, SyncPlan } from './types';

export interface TextOptions {
  colour?: boolean;
  /** List every copied base-role permission instead of one line per new role. */
  verbose?: boolean;
  /** Workspace root: files below it are shown relative to it. */
  root?: string;
}

export function formatPlanText(plan: SyncPlan, opts: TextOptions = {}): string {
  const c = (code: string, s: string) => (opts.colour ? `\x1b[${code}m${s}\x1b[0m` : s);
  const green = (s: string) => c('32', s);
  const red = (s: string) => c('31', s);
  const yellow = (s: string) => c('33', s);
  const out: string[] = [];
  const major = plan.target.airflowMajor ? `Airflow ${plan.target.airflowMajor}.x` : 'Airflow (version unknown)';
  const source = plan.tagSource === 'db' ? 'tags from the deployed dag_tag rows' : 'tags from the workspace DAG files';
  out.push(`Sync plan ${plan.planId} (${isDialect(plan.target.dialect) ? dialectFor(plan.target.dialect).planTitle : plan.target.dialect}, ${major}, ${source})`, '');

  if (plan.createRoles.length) {
    out.push('Roles to create:');
    for (const r of plan.createRoles)
      out.push(
        green(`  + role "${s(r.name)}"`) +
          (r.baseRole ? ` (copy of ${s(r.baseRole)}: ${r.copied} permission${r.copied === 1 ? '' : 's'}${r.dagWideLeftOut?.length ? `, without its DAG-wide ${r.dagWideLeftOut.join(', ')} on "DAGs"` : ''})` : ' (no base role)'),
      );
    out.push('');
  }
  if (plan.createResources.length || plan.createPermissionViews.length || plan.createActions.length) {
    out.push('Resources and permissions to create:');
    for (const a of plan.createActions) out.push(green(`  + action "${s(a)}"`));
    for (const r of plan.createResources) out.push(green(`  + resource "${s(r)}"`));
    for (const pv of plan.createPermissionViews) out.push(green(`  + permission ${s(pv.action)} on "${s(pv.resource)}"`));
    out.push('');
  }
  const byRole = new Map<string, { add: GrantChange[]; revoke: GrantChange[] }>();
  const slot = (r: string) => byRole.get(r) ?? byRole.set(r, { add: [], revoke: [] }).get(r)!;
  for (const g of plan.addGrants) if (g.dagId !== null || opts.verbose) slot(g.role).add.push(g);
  for (const g of plan.revokeGrants) slot(g.role).revoke.push(g);
  if (byRole.size) {
    out.push('Grants:');
    for (const role of [...byRole.keys()].sort()) {
      const { add, revoke } = byRole.get(role)!;
      out.push(`  role "${s(role)}"`);
      const w = Math.max(...[...add, ...revoke].map((g) => s(g.action).length));
      for (const g of add) out.push(green(`    + ${s(g.action).padEnd(w)}  ${s(g.resource)}`) + `  (${s(g.reason)})`);
      for (const g of revoke) out.push(red(`    - ${s(g.action).padEnd(w)}  ${s(g.resource)}`) + `  (${s(g.reason)})`);
    }
    out.push('');
  }
  if (plan.tagDiffs.length) {
    out.push('Tags that differ between the workspace and the database:');
    for (const d of plan.tagDiffs) {
      const dep = d.deployed === null ? 'none (not in the database, or not active)' : `[${d.deployed.map(s).join(', ')}]`;
      out.push(yellow(`  ~ ${s(d.dagId)}`) + `: workspace [${(d.workspace ?? []).map(s).join(', ')}], deployed ${dep}${d.file ? `  (${s(shownPath(d.file, opts.root))})` : ''}`);
    }
    out.push('');
  }
  if (plan.warnings.length) {
    out.push('Warnings:');
    for (const w of plan.warnings) out.push(yellow(`  ! ${s(w.message)}`));
    out.push('');
  }
  out.push(summaryLine(plan));
  return out.join('\n');
}

export function summaryLine(plan: SyncPlan): string {
  if (plan.empty) return 'No changes. The database matches the config.';
  const s = plan.summary;
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  // New roles start as copies of their base role: say how many of the grants are those copies, so
  // the count matches the per-DAG grants listed above it.
  const copied = plan.createRoles.reduce((sum, r) => sum + r.copied, 0);
  const add = copied > 0 ? `${s.add} to add (${copied} of them copied from base roles)` : `${s.add} to add`;
  const parts = [add, `${s.revoke} to revoke`, `${n(s.createRoles, 'role')} to create`, `${n(s.createResources, 'resource')} to create`];
  return `Plan: ${parts.join(', ')}.`;
}

function shownPath(file: string, root: string | undefined): string {
  if (!root) return file;
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

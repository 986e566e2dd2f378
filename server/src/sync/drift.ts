/**
 * Drift: per-DAG grants in the database that the config does not explain, and grants the config
 * implies that the database lacks. Read-only; Admin is ignored (it never holds `DAG:` grants).
 */
import { cmp, indexState, type DbState } from '../db/state';
import type { AccessConfig } from '../model/config';
import { computeDesired } from './desired';
import { planInputs, type PlanOptions } from './inputs';
import { dagIdOf, isPerDagResource } from './types';

export interface DriftItem {
  role: string;
  action: string;
  resource: string;
  dagId: string | null;
  /** unexplained: why it may be there; missing: the tag that implies it. */
  note: string;
}

export interface DriftReport {
  /** In the DB, not explained by the config. */
  unexplained: DriftItem[];
  /** Implied by the config, absent from the DB. */
  missing: DriftItem[];
  count: number;
}

export function computeDrift(state: DbState, config: AccessConfig, opts: PlanOptions): DriftReport {
  const inputs = planInputs(config, opts);
  const idx = indexState(state);
  const desired = computeDesired(state, inputs);
  const configured = new Set(inputs.roles.map((r) => r.name));
  const withAc = new Set((inputs.workspaceDags ?? []).filter((d) => d.hasAccessControl).map((d) => d.dagId));
  const live = new Set(state.dags.map((d) => d.dagId));
  const unexplained: DriftItem[] = [];
  for (const [role, grants] of idx.grantsByRole) {
    if (role === 'Admin') continue;
    const want = desired.byRole.get(role);
    for (const [key, g] of grants) {
      const pv = idx.pvById.get(g.permissionViewId)!;
      if (!isPerDagResource(pv.resource) || want?.has(key)) continue;
      const dagId = dagIdOf(pv.resource);
      const note = dagId && withAc.has(dagId)
        ? 'the DAG sets access_control'
        : dagId && !live.has(dagId)
          ? 'the DAG is deleted or inactive'
          : !configured.has(role)
            ? 'role not in the config'
            : want
              ? 'no configured tag on the DAG implies it'
              : 'role is not managed by the sync (built-in)';
      unexplained.push({ role, action: pv.action, resource: pv.resource, dagId, note });
    }
  }
  const missing: DriftItem[] = [];
  for (const [role, want] of desired.byRole) {
    const have = idx.grantsByRole.get(role);
    for (const [key, g] of want) if (!have?.has(key)) missing.push({ role, action: g.action, resource: g.resource, dagId: g.dagId, note: `tag "${g.tag}"` });
  }
  const sort = (xs: DriftItem[]) => xs.sort((a, b) => cmp(a.role, b.role) || cmp(a.resource, b.resource) || cmp(a.action, b.action));
  return { unexplained: sort(unexplained), missing: sort(missing), count: unexplained.length + missing.length };
}

export function formatDriftText(d: DriftReport): string {
  const out: string[] = [];
  if (d.unexplained.length) {
    out.push('In the database, not explained by the config:');
    for (const i of d.unexplained) out.push(`  - ${i.role}: ${i.action} on ${i.resource}  (${i.note})`);
    out.push('');
  }
  if (d.missing.length) {
    out.push('Implied by the config, missing from the database:');
    for (const i of d.missing) out.push(`  + ${i.role}: ${i.action} on ${i.resource}  (${i.note})`);
    out.push('');
  }
  out.push(d.count ? `Drift: ${d.unexplained.length} unexplained, ${d.missing.length} missing.` : 'No drift: the database matches the config.');
  return out.join('\n');
}

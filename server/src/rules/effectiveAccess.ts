/**
 * Rules on the engine's effective access of each DAG: ADA008 tag grants reverted by access_control,
 * ADA009 edit without read, ADA010 no custom role has a grant on the DAG.
 */
import { customRolesReaching } from '../engine/reach';
import type { Range } from '../model/facts';
import { addTagFixes } from './addTag';
import { airflowMajor, whenAirflowReverts } from '../engine/accessControl';
import type { AccessControlFact } from '../model/facts';
import type { Fix } from '../model/findings';
import { lazySource } from './pySource';
import { addDictEntryEdits } from './tagEdits';
import type { FileRule, RuleFinding } from './rule';
import { underFab } from './authManagerRules';

export const revertedTagGrant: FileRule = {
  code: 'ADA008',
  scope: 'file',
  check({ ctx, facts }) {
    const out: RuleFinding[] = [];
    const source = lazySource(ctx, facts);
    const when = whenAirflowReverts(airflowMajor(ctx.airflowVersion()));
    for (const dag of facts.dags) {
      const access = ctx.dagAccess(facts.file, dag);
      if (!access) continue;
      const seen = new Set<string>();
      for (const role of access.roles) {
        for (const grant of role.grants) {
          if (!grant.reverted) continue;
          for (const via of grant.via) {
            if (via.kind !== 'tag') continue;
            const key = `${via.tag}\u0000${role.role}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const reverted = role.grants.filter((g) => g.reverted && g.via.some((v) => v.kind === 'tag' && v.tag === via.tag));
            const actions = reverted.map((g) => (g.resource === 'DAGs' ? g.action : `${g.action} on DAG Runs`));
            const range: Range = via.tagFile === facts.file ? via.tagRange : (dag.tags?.range ?? dag.nameRange);
            const ac = dag.accessControl;
            const fix = ac ? addToAccessControl(ac, role.role, reverted, facts.file, source) : null;
            const granted = `Tag '${via.tag}' grants '${role.role}' ${[...new Set(actions)].join(', ')}`;
            out.push({
              file: facts.file,
              range,
              message: ac && ac.kind !== 'none'
                ? `${granted}, but this DAG sets access_control, which Airflow treats as authoritative: it revokes this grant ${when}. Add '${role.role}' to access_control or drop access_control.`
                // Airflow 2.6.2-2.7.0 revoke every per-DAG grant of a DAG whose access_control is None (apache/airflow#32839).
                : `${granted}, but Airflow ${access.airflowVersion} removes every per-DAG grant of a DAG whose access_control is None: it revokes this grant ${when}. List '${role.role}' in access_control, or upgrade to Airflow 2.7.1 or later.`,
              ...(ac ? { related: [{ file: facts.file, range: ac.keywordRange, message: 'access_control is set here' }] } : {}),
              ...(fix ? { fixes: [fix] } : {}),
            });
          }
        }
      }
    }
    return out;
  },
};

/**
 * "Add '<role>' to access_control": the reverted grants as a new entry of the dict literal written in
 * the DAG call, in the form its other entries use (Airflow 2.10's nested `{"DAGs": {...}}` or the flat
 * set). Not offered when the role is already a key (a second one would silently replace it) or the
 * value is not a literal here.
 */
function addToAccessControl(ac: AccessControlFact, role: string, grants: { resource: string; action: string }[], file: string, source: () => string | null): Fix | null {
  if (ac.kind !== 'dict' || ac.via || ac.roles.some((r) => r.role.value === role)) return null;
  const text = source();
  if (text === null) return null;
  const set = (xs: string[]) => `{${[...new Set(xs)].map((x) => JSON.stringify(x)).join(', ')}}`;
  const dagActions = grants.filter((g) => g.resource === 'DAGs').map((g) => g.action);
  const runActions = grants.filter((g) => g.resource !== 'DAGs').map((g) => g.action);
  const nested = runActions.length > 0 || ac.roles.some((r) => r.form === 'nested');
  const value = nested
    ? `{${[dagActions.length ? `"DAGs": ${set(dagActions)}` : '', runActions.length ? `"DAG Runs": ${set(runActions)}` : ''].filter(Boolean).join(', ')}}`
    : set(dagActions);
  const edits = addDictEntryEdits(ac.range, `${JSON.stringify(role)}: ${value}`, file, text);
  return edits ? { title: `Add '${role}' to access_control`, kind: 'quickfix', isPreferred: true, edits } : null;
}

export const editWithoutRead: FileRule = {
  code: 'ADA009',
  scope: 'file',
  check({ ctx, facts }) {
    const out: RuleFinding[] = [];
    for (const dag of facts.dags) {
      const access = ctx.dagAccess(facts.file, dag);
      for (const role of access?.roles ?? []) {
        if (!role.editWithoutRead) continue;
        let range: Range = dag.nameRange;
        for (const g of role.grants) {
          for (const v of g.via) {
            if (v.kind === 'access_control' && v.file === facts.file) range = v.range;
            else if (v.kind === 'tag' && v.tagFile === facts.file) range = v.tagRange;
          }
        }
        out.push({
          file: facts.file,
          range,
          message: `Role '${role.role}' can ${role.dagActions.join(', ')} this DAG but not can_read: the UI does not list it for that role, so its users cannot find what they may edit. Add can_read.`,
        });
      }
    }
    return out;
  },
};

export const noNonAdminAccess: FileRule = {
  code: 'ADA010',
  scope: 'file',
  check({ ctx, facts }) {
    const out: RuleFinding[] = [];
    // Per-DAG role grants exist only under FAB; other auth managers answer per user (ADA031).
    if (!underFab(ctx)) return out;
    const source = lazySource(ctx, facts);
    for (const dag of facts.dags) {
      if (dag.dagId.kind !== 'static') continue;
      if (dag.tags?.dynamic.length) continue;
      const access = ctx.dagAccess(facts.file, dag);
      // The engine's summary.nonAdminReachable is always true (Viewer, User and Op read every DAG
      // through their role-wide DAGs permissions), so it cannot tell a team DAG without access from
      // one with it. What matters is whether a custom role can do anything with this very DAG: the
      // same test `explain`, the hover and the tree use (engine/reach.ts), so they always agree.
      if (!access || customRolesReaching(access).length) continue;
      out.push({
        file: facts.file,
        range: dag.nameRange,
        message: `No custom role has a grant on DAG '${dag.dagId.value}': no access tag, access_control entry or database grant (per-DAG or DAG-wide) gives a role other than Airflow's defaults access to it. Only role-wide permissions reach it (Viewer, User and Op read every DAG, User and Op also edit and delete it, Admin does everything).`,
        fixes: addTagFixes(dag, ctx.config, facts.file, source(), 5),
      });
    }
    return out;
  },
};

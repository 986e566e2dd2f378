/**
 * What a plan was computed from, kept beside the plan object (never in its JSON): the connection
 * and fingerprint of the state it was read from, and the database ids of its changes. applyPlan
 * uses it to skip the full re-read when the fingerprint taken under the lock is unchanged, and to
 * write by ids. A plan object that was copied, parsed from JSON or edited has no (valid) context and
 * is applied the safe way: re-read and re-plan under the lock.
 */
import { stateSource, type DbState } from '../db/state';
import type { Db } from '../db/types';
import type { CoreIds } from './planCore';
import type { SyncPlan } from './types';

export interface PlanContext {
  source: Db | undefined;
  fingerprint: string | null;
  ids: CoreIds;
  /** The plan's own arrays when it was made: an edited plan no longer matches them. */
  arrays: unknown[];
  lengths: number[];
  planId: string;
}

const contexts = new WeakMap<SyncPlan, PlanContext>();

const arraysOf = (p: SyncPlan) => [p.addGrants, p.revokeGrants, p.createRoles, p.createActions, p.createResources, p.createPermissionViews, p.inputs];
const lengthsOf = (p: SyncPlan) => [p.addGrants.length, p.revokeGrants.length, p.createRoles.length, p.createActions.length, p.createResources.length, p.createPermissionViews.length];

export function rememberPlan(plan: SyncPlan, state: DbState, ids: CoreIds): void {
  contexts.set(plan, { source: stateSource(state), fingerprint: state.fingerprint ?? null, ids, arrays: arraysOf(plan), lengths: lengthsOf(plan), planId: plan.planId });
}

/** The context of an unmodified plan object, else null. */
export function planContext(plan: SyncPlan): PlanContext | null {
  const c = contexts.get(plan);
  if (!c || c.planId !== plan.planId) return null;
  const arrays = arraysOf(plan);
  const lengths = lengthsOf(plan);
  if (arrays.some((a, i) => a !== c.arrays[i]) || lengths.some((n, i) => n !== c.lengths[i])) return null;
  return c;
}

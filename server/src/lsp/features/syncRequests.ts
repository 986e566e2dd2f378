/** Custom requests that talk to the metadata database: plan, apply, drift, testConnection. */
import * as path from 'path';
import { ApplyRequest, DriftRequest, PlanRequest, TestConnectionRequest, type FolderParams } from '../../protocol';
import { errorMessage } from '../../db/connect';
import { dialectFor } from '../../db/dialects';
import { formatPlanText } from '../../sync/formatText';
import { applyPlan } from '../../sync/apply';
import { defaultSnapshotDir } from '../../sync/snapshot';
import { workspaceDags } from '../../project/workspaceDags';
import type { Project } from '../../project/project';
import type { ServerContext } from '../context';
import { guard, throwIfCancelled, UserFacingError } from '../handler';
import type { Db } from '../../db/types';
import { nonFabSyncRefusal } from '../../project/syncGuard';

/** The folder's project once its index is complete (`partial`: at once, while it may still be scanning). */
export async function projectOf(ctx: ServerContext, params: FolderParams | undefined, opts: { partial?: boolean } = {}): Promise<Project> {
  const project = await ctx.workspace.projectFor(params?.folderUri, { complete: !opts.partial });
  if (!project) throw new Error(params?.folderUri ? `No workspace folder ${params.folderUri}` : 'No workspace folder is open.');
  return project;
}

/** Connected with fresh state. `forWrite`: the caller writes next (rollback): SQLite's lock helper starts now, overlapping the read. */
export async function connected(project: Project, opts: { forWrite?: boolean } = {}): Promise<void> {
  if (!project.db.configured) throw new UserFacingError('No database configured: set airflowDagAccess.database.url.', { kind: 'settings' });
  if (project.db.status !== 'connected') await project.db.connect(undefined, opts);
  else {
    if (opts.forWrite) await project.db.connection(opts);
    await project.db.refresh();
  }
  // Reached, but without FAB tables: say why there is no sync rather than "cannot connect".
  if (project.db.status !== 'connected' && project.db.noFabTables) throw new UserFacingError(project.db.message ?? 'The database has no FAB tables: nothing to sync.', { kind: 'database' });
  if (project.db.status !== 'connected') throw new UserFacingError(`Cannot connect to the database: ${project.db.message ?? 'unknown error'}`, { kind: 'database' });
}

/**
 * A sync or drift from a config with errors would act on part of it (a dropped role's grants look
 * unexplained) or on its last valid version, not on the text the user sees: refuse, as the CLI does.
 */
export function requireValidConfig(project: Project): void {
  const errors = project.configErrors().length;
  if (errors && project.configFile) {
    throw new UserFacingError(`${path.basename(project.configFile)} has ${errors} error(s): fix them first (see the Problems view).`, { kind: 'config', file: project.configFile });
  }
  // No FAB sync is offered where Airflow reads no FAB grants (the CLI's --force-fab is the explicit way).
  const refusal = project.config && nonFabSyncRefusal(project.config, project.configText, undefined, 'use the CLI with --force-fab for a migration to FAB');
  if (refusal) throw new UserFacingError(refusal, { kind: 'config', file: project.configFile ?? undefined });
}

/** "the SQLite database /srv/airflow.db", "the PostgreSQL database airflow on db:5432 (user airflow)". */
export function describeDbTarget(db: Pick<Db, 'dialect' | 'label'>): string {
  const d = dialectFor(db.dialect);
  if (!d.server) return `the ${d.product} database ${db.label}`;
  // The label is targetLabel's: `<product> user@host:port/database`.
  const m = db.label.startsWith(`${d.product} `) ? /^(\S+) (.*)@([^@/]+)\/(.*)$/.exec(db.label) : null;
  return m ? `the ${m[1]} database ${m[4]} on ${m[3]} (user ${m[2]})` : `the database ${db.label}`;
}

export function registerSyncRequests(ctx: ServerContext): void {
  const { connection, log } = ctx;

  connection.onRequest(PlanRequest.type, guard(log, PlanRequest.method, async (params: PlanRequest.Params, token): Promise<PlanRequest.Result> => {
    const project = await projectOf(ctx, params);
    requireValidConfig(project);
    await connected(project);
    throwIfCancelled(token);
    const tagSource = params?.tagSource ?? 'db';
    // The workspace's DAGs always go to the planner, as in the CLI: with tags from the database they
    // still decide the access_control and tag-difference warnings (one plan, one set of warnings).
    const plan = project.db.plan(tagSource, workspaceDags(project));
    const db = await project.db.connection();
    return {
      planId: plan.planId,
      folderUri: ctx.workspace.folderUriOf(project),
      text: formatPlanText(plan, { root: project.root }),
      json: plan,
      summary: { add: plan.summary.add, revoke: plan.summary.revoke, createRoles: plan.summary.createRoles, createResources: plan.summary.createResources, warnings: plan.summary.warnings },
      empty: plan.empty,
      target: describeDbTarget(db),
    };
  }));

  connection.onRequest(ApplyRequest.type, guard(log, ApplyRequest.method, async (params: ApplyRequest.Params, token): Promise<ApplyRequest.Result> => {
    const project = await projectOf(ctx, params);
    requireValidConfig(project);
    const plan = project.db.getPlan(params.planId);
    if (!plan) throw new UserFacingError(`Unknown plan ${params.planId}: run the plan again.`, { kind: 'database' });
    // Opened (or prepared) for writing, as the CLI's sync: SQLite's lock helper starts now, not at the lock.
    const db = await project.db.connection({ forWrite: true });
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      // The CLI's folder, so `airflow-access rollback` and Roll Back a Sync see every snapshot.
      const r = await applyPlan(db, plan, { snapshotDir: defaultSnapshotDir(project.root), signal: abort.signal, onProgress: (m) => log.info(m) });
      await project.db.refresh().catch((e: unknown) => log.warn(`re-reading the database failed: ${errorMessage(e)}`));
      project.notifyDbChanged();
      return { applied: r.applied, message: r.message, snapshotFile: r.snapshotFile, summary: { added: r.summary.added, revoked: r.summary.revoked, createdRoles: r.summary.createdRoles, createdResources: r.summary.createdResources } };
    } finally {
      sub.dispose();
    }
  }));

  connection.onRequest(DriftRequest.type, guard(log, DriftRequest.method, async (params: DriftRequest.Params): Promise<DriftRequest.Result> => {
    const project = await projectOf(ctx, params);
    requireValidConfig(project);
    await connected(project);
    const plan = project.db.drift();
    if (!plan) throw new UserFacingError('No valid role-mapping config: fix airflow-access.yaml first.', { kind: 'config', file: project.configFile ?? undefined });
    const db = await project.db.connection();
    return { text: formatPlanText(plan), json: plan, count: plan.addGrants.length + plan.revokeGrants.length, target: describeDbTarget(db) };
  }));

  connection.onRequest(TestConnectionRequest.type, guard(log, TestConnectionRequest.method, async (params: TestConnectionRequest.Params): Promise<TestConnectionRequest.Result> => {
    const project = await projectOf(ctx, params);
    if (!project.db.configured) return { ok: false, message: 'No database configured: set airflowDagAccess.database.url.' };
    await project.db.connect();
    project.notifyDbChanged();
    const s = project.db.state;
    if (project.db.status !== 'connected' || !s) return { ok: false, message: project.db.message ?? 'Connection failed.' };
    return {
      ok: true,
      message: `Connected to ${project.db.message ?? s.schema.dialect}: ${s.dags.length} live DAG(s), ${s.roles.length} role(s).`,
      details: { dialect: s.schema.dialect, airflowMajor: s.schema.airflowMajor, fabTables: s.schema.fabTables, dagRunResources: s.schema.dagRunResources, dagCount: s.dags.length },
    };
  }));
}

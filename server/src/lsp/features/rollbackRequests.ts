/** Roll Back a Sync from the editor: the snapshots of this folder's database, and the rollback itself. */
import { ListSnapshotsRequest, RollbackRequest } from '../../protocol';
import { rollbackSnapshot } from '../../sync/rollback';
import { defaultSnapshotDir } from '../../sync/snapshot';
import { listSnapshots, rollbackPreview } from '../../sync/snapshotList';
import type { ServerContext } from '../context';
import { guard, UserFacingError } from '../handler';
import { connected, describeDbTarget, projectOf } from './syncRequests';

export function registerRollbackRequests(ctx: ServerContext): void {
  const { connection, log } = ctx;

  connection.onRequest(ListSnapshotsRequest.type, guard(log, ListSnapshotsRequest.method, async (params: ListSnapshotsRequest.Params): Promise<ListSnapshotsRequest.Result> => {
    const project = await projectOf(ctx, params);
    await connected(project);
    const db = await project.db.connection();
    const snapshots = listSnapshots(defaultSnapshotDir(project.root), db).map(({ file, snapshot: s, pending }) => ({
      file,
      planId: s.planId,
      createdAt: s.createdAt,
      pending,
      removes: { grants: s.inserted.ab_permission_view_role.length, roles: s.inserted.ab_role.length, resources: s.inserted.ab_view_menu.length },
      restores: s.deleted.ab_permission_view_role.length,
      preview: rollbackPreview(s),
    }));
    return { target: describeDbTarget(db), snapshots };
  }));

  connection.onRequest(RollbackRequest.type, guard(log, RollbackRequest.method, async (params: RollbackRequest.Params, token): Promise<RollbackRequest.Result> => {
    const project = await projectOf(ctx, params);
    // For writing, as the CLI's rollback: SQLite's lock helper starts while the state is read.
    await connected(project, { forWrite: true });
    const db = await project.db.connection({ forWrite: true });
    // Only a snapshot of this database, from this folder's list: never a path the client made up.
    const known = listSnapshots(defaultSnapshotDir(project.root), db).some((s) => s.file === params.file);
    if (!known) throw new UserFacingError(`No snapshot ${params.file} of ${describeDbTarget(db)} in this folder.`, { kind: 'database' });
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const r = await rollbackSnapshot(db, params.file, { signal: abort.signal, onProgress: (m) => log.info(m), auditUser: 'airflow-dag-access (editor)' });
      await project.db.refresh().catch(() => undefined);
      project.notifyDbChanged();
      return { message: r.message, removed: r.removed, restored: r.restored, neverCommitted: r.neverCommitted ?? false };
    } finally {
      sub.dispose();
    }
  }));
}

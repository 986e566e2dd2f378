/** Status and indexChanged notifications for the client's language status item and views. */
import { IndexChangedNotification, StatusNotification } from '../../protocol';
import type { Project } from '../../project/project';
import type { ServerContext } from '../context';
import { AUTH_MANAGER_LABEL } from '../../engine/authNoEffect';

function folderStatus(ctx: ServerContext, project: Project): StatusNotification.FolderStatus {
  const errors = project.configErrors().length;
  const drift = project.db.status === 'connected' && !errors ? project.db.drift() : null;
  const indexing = project.indexingState();
  const partial = project.partialNote();
  const indexError = project.scanError();
  return {
    folderUri: ctx.workspace.folderUriOf(project),
    configFile: project.configFile,
    configState: !project.configFile ? 'missing' : !project.config || errors ? 'invalid' : 'ok',
    configProblems: project.configProblems.length,
    dagCount: project.table.dagCount,
    fileCount: project.table.fileCount,
    db: {
      state: project.db.status,
      message: project.db.message,
      driftCount: drift ? drift.addGrants.length + drift.revokeGrants.length : undefined,
      ...(project.config && project.config.airflow.authManager !== 'fab' ? { noSync: `${AUTH_MANAGER_LABEL[project.config.airflow.authManager]}: Airflow reads no FAB grants, so there is nothing to sync` } : {}),
    },
    ...(indexing && partial ? { indexing: { done: indexing.done, total: indexing.total, note: partial } } : {}),
    ...(indexError ? { indexError } : {}),
  };
}

export function registerStatus(ctx: ServerContext): void {
  ctx.workspace.onDidChange((project) => {
    void (async () => {
      try {
        await ctx.connection.sendNotification(IndexChangedNotification.type, { folderUri: ctx.workspace.folderUriOf(project) });
        const folders = (await ctx.workspace.projects()).map((p) => folderStatus(ctx, p));
        await ctx.connection.sendNotification(StatusNotification.type, { folders });
      } catch (e) {
        ctx.log.error('sending status failed', e);
      }
    })();
  });
}

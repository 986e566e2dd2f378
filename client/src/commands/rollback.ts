/**
 * Roll Back a Sync: pick a snapshot of this folder's database (newest first), preview the rows it
 * removes and restores, confirm naming the database, then roll back in one cancellable transaction.
 * Same snapshots and same rollback as `airflow-access rollback`.
 */
import * as vscode from 'vscode';
import type { ListSnapshotsRequest } from '../../../server/src/protocol';
import { Commands } from '../constants';
import { resolveFolder } from '../folders';
import { isCancellation, reportError, withProgress, type Services } from './services';

export function registerRollbackCommand(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.rollbackSync, () => rollbackSync(services));
}

/** One line per snapshot for the picker. */
export function snapshotPickItem(s: ListSnapshotsRequest.Snapshot): { label: string; description: string; detail: string } {
  const removes = [`${s.removes.grants} grant(s) removed`, s.removes.roles ? `${s.removes.roles} role(s) removed` : '', `${s.restores} grant(s) restored`].filter(Boolean).join(', ');
  return {
    label: `${new Date(s.createdAt).toLocaleString()}  plan ${s.planId}`,
    description: removes,
    detail: s.pending ? 'This sync was interrupted before it recorded whether it committed: the database decides; if it never committed, nothing is changed.' : s.file,
  };
}

async function rollbackSync(services: Services): Promise<void> {
  const folder = await resolveFolder();
  if (!folder) return;
  const folderUri = folder.uri.toString();
  let list: ListSnapshotsRequest.Result;
  try {
    list = await withProgress('Airflow Access: reading snapshots…', (token) => services.server.listSnapshots({ folderUri }, token));
  } catch (error) {
    if (!isCancellation(error)) await reportError(services, 'Could not list the rollback snapshots', error);
    return;
  }
  if (!list.snapshots.length) {
    void vscode.window.showInformationMessage(`No rollback snapshot of ${list.target} in this folder's .airflow-access/snapshots.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    list.snapshots.map((s) => ({ ...snapshotPickItem(s), snapshot: s })),
    { placeHolder: `Sync to roll back on ${list.target}`, matchOnDescription: true },
  );
  if (!picked) return;
  await services.plans.showRollback(folder, list.target, picked.snapshot.preview);
  const roll = 'Roll Back';
  const answer = await vscode.window.showWarningMessage(`Roll back plan ${picked.snapshot.planId} on ${list.target}?`, { modal: true, detail: picked.description }, roll);
  if (answer !== roll) return;
  try {
    const r = await withProgress('Airflow Access: rolling back…', (token) => services.server.rollback({ folderUri, file: picked.snapshot.file }, token));
    services.output.info(r.message);
    // The open plan and drift documents show the state before the rollback: compute them again.
    await services.plans.refresh(folder);
    void vscode.window.showInformationMessage(r.message);
  } catch (error) {
    if (isCancellation(error)) void vscode.window.showInformationMessage('Rollback cancelled before commit: nothing changed in the database.');
    else await reportError(services, 'Rollback failed', error);
  }
}

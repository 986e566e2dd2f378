/**
 * Show Sync Plan (dry run) and Sync Permissions: plan → plan document → modal confirmation →
 * cancellable apply → the plan document computed again → summary with the snapshot. The plan and the
 * apply happen in the server.
 */
import * as vscode from 'vscode';
import type { PlanRequest } from '../../../server/src/protocol';
import { Commands } from '../constants';
import { resolveFolder } from '../folders';
import { applySummary, planSummary } from '../format';
import { isCancellation, reportError, withProgress, type Services } from './services';

export function registerSyncCommands(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.showSyncPlan, () => showSyncPlan(services)),
    vscode.commands.registerCommand(Commands.syncPermissions, () => syncPermissions(services)),
  ];
}

async function computePlan(services: Services, folder: vscode.WorkspaceFolder): Promise<PlanRequest.Result | undefined> {
  try {
    return await withProgress('Airflow Access: computing the sync plan…', (token) =>
      services.server.plan({ folderUri: folder.uri.toString() }, token),
    );
  } catch (error) {
    if (!isCancellation(error)) await reportError(services, 'Could not compute the sync plan', error);
    return undefined;
  }
}

async function showSyncPlan(services: Services): Promise<void> {
  const folder = await resolveFolder();
  if (!folder) return;
  const plan = await computePlan(services, folder);
  if (!plan) return;
  await services.plans.showPlan(folder, plan);
  if (plan.empty) {
    void vscode.window.showInformationMessage('Dry run: the Airflow database already matches the config.');
    return;
  }
  const pick = await vscode.window.showInformationMessage(`Dry run (nothing changed): ${planSummary(plan.summary)}.`, 'Sync Permissions…');
  if (pick) await vscode.commands.executeCommand(Commands.syncPermissions);
}

async function syncPermissions(services: Services): Promise<void> {
  const folder = await resolveFolder();
  if (!folder) return;
  const plan = await computePlan(services, folder);
  if (!plan) return;
  if (plan.empty) {
    void vscode.window.showInformationMessage('The Airflow database already matches the config: nothing to sync.');
    return;
  }
  await services.plans.showPlan(folder, plan);
  const apply = 'Apply';
  const answer = await vscode.window.showWarningMessage(
    `Apply this plan to ${plan.target}?`,
    {
      modal: true,
      detail: `${planSummary(plan.summary)}. The plan document lists every change. You can cancel while it applies, until the changes are committed.`,
    },
    apply,
  );
  if (answer !== apply) return;

  let result;
  try {
    result = await withProgress('Airflow Access: applying permissions…', (token) =>
      services.server.apply({ folderUri: folder.uri.toString(), planId: plan.planId }, token),
    );
  } catch (error) {
    if (isCancellation(error)) {
      services.output.info('Sync cancelled before commit; nothing changed.');
      void vscode.window.showInformationMessage('Sync cancelled before commit: nothing changed in the database.');
    } else {
      await reportError(services, 'Sync failed', error);
    }
    return;
  }
  services.output.info(`Sync ${result.applied ? 'applied' : 'not applied'}: ${result.message}`);
  // The plan document still lists what was just applied: compute it (and an open drift) again, so
  // it shows what is left to do ("No changes" after a complete sync).
  await services.plans.refresh(folder);
  if (!result.applied) {
    void vscode.window.showWarningMessage(`Sync not applied: ${result.message}`);
    return;
  }
  if (!result.snapshotFile && Object.values(result.summary).every((n) => n === 0)) {
    // Another sync (or Airflow) already made every change: say that, not "0 grants added".
    void vscode.window.showInformationMessage(result.message);
    return;
  }
  const open = 'Open Snapshot';
  const pick = await vscode.window.showInformationMessage(
    `Permissions synced: ${applySummary(result.summary)}.${result.snapshotFile ? ' The previous permissions were saved to a snapshot.' : ''}`,
    ...(result.snapshotFile ? [open] : []),
  );
  if (pick === open && result.snapshotFile) await vscode.window.showTextDocument(vscode.Uri.file(result.snapshotFile));
}

/**
 * The sync plan, the drift report and the rollback preview as read-only documents of their own
 * language (PLAN_LANGUAGE: added, revoked, created, warnings coloured by the theme), titled with the
 * database they are for. The text is the server's, identical to the CLI's text plan. After the
 * database changed (a sync applied, a rollback) the open plan and drift documents of that folder
 * are computed again, so they show what is left to do, not what was just done.
 */
import * as vscode from 'vscode';
import type { DriftRequest, PlanRequest } from '../../server/src/protocol';
import { PLAN_LANGUAGE } from './constants';
import { errorMessage } from './logger';
import { planDocumentTitle, type PlanDocumentKind } from './format';
import type { AccessServer } from './languageClient';
import type { VirtualDocuments } from './virtualDocuments';

type Refreshable = Exclude<PlanDocumentKind, 'rollback'>;

export class PlanDocuments {
  /** The plan and drift documents shown, per folder: refreshed after a sync or rollback. */
  private readonly shown = new Map<string, { kind: Refreshable; path: string }[]>();

  constructor(
    private readonly docs: VirtualDocuments,
    private readonly server: Pick<AccessServer, 'plan' | 'drift'>,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  showPlan(folder: vscode.WorkspaceFolder, plan: PlanRequest.Result): Promise<vscode.TextEditor> {
    return this.show(folder, 'plan', plan.target, plan.text);
  }

  showDrift(folder: vscode.WorkspaceFolder, drift: DriftRequest.Result): Promise<vscode.TextEditor> {
    return this.show(folder, 'drift', drift.target, drift.text);
  }

  showRollback(folder: vscode.WorkspaceFolder, target: string, preview: string): Promise<vscode.TextEditor> {
    return this.docs.showText(pathOf(folder, 'rollback', target), withNewline(preview), { language: PLAN_LANGUAGE });
  }

  /**
   * Computes the open plan and drift documents of `folder` again (the database changed) and updates
   * them in place. A failure is written into the document: it must not keep showing a stale plan.
   */
  async refresh(folder: vscode.WorkspaceFolder): Promise<void> {
    const folderUri = folder.uri.toString();
    const open = (this.shown.get(folderUri) ?? []).filter((s) => this.docs.isOpen(this.docs.uriOf(s.path)));
    this.shown.set(folderUri, open);
    if (!open.length) return;
    // A spinner in the status bar while the server plans again.
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Airflow Access: updating the plan' }, () => this.recompute(folderUri, open));
  }

  private async recompute(folderUri: string, open: { kind: Refreshable; path: string }[]): Promise<void> {
    await Promise.all(
      open.map(async ({ kind, path }) => {
        try {
          const text = kind === 'plan' ? (await this.server.plan({ folderUri })).text : (await this.server.drift({ folderUri })).text;
          this.docs.set(path, withNewline(text));
        } catch (error) {
          const what = kind === 'plan' ? 'sync plan' : 'drift';
          this.output.warn(`Could not compute the ${what} again after the database changed: ${errorMessage(error)}`);
          this.docs.set(path, `The database changed (a sync or rollback); computing the ${what} again failed:\n${errorMessage(error)}\nRun the command again to see the current ${what}.\n`);
        }
      }),
    );
  }

  private async show(folder: vscode.WorkspaceFolder, kind: Refreshable, target: string, text: string): Promise<vscode.TextEditor> {
    const path = pathOf(folder, kind, target);
    const list = (this.shown.get(folder.uri.toString()) ?? []).filter((s) => s.kind !== kind);
    this.shown.set(folder.uri.toString(), [...list, { kind, path }]);
    // Pinned: it stays open (and is refreshed) while a rollback preview or an explanation is shown.
    return this.docs.showText(path, withNewline(text), { language: PLAN_LANGUAGE, pin: true });
  }
}

/** `plan/<folder>/Sync plan — SQLite airflow.db`: the last segment is the tab title. */
function pathOf(folder: vscode.WorkspaceFolder, kind: PlanDocumentKind, target: string): string {
  return `${kind}/${folder.name}/${planDocumentTitle(kind, target)}`;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

/** The sync plan (and the drift report) as read-only diff documents beside the editor. */
import type * as vscode from 'vscode';
import type { PlanRequest } from '../../server/src/protocol';
import type { VirtualDocuments } from './virtualDocuments';

export function showPlanPreview(docs: VirtualDocuments, folder: vscode.WorkspaceFolder, plan: PlanRequest.Result): Promise<vscode.TextEditor> {
  return docs.showText(`plan/${folder.name}.diff`, withNewline(plan.text));
}

export function showDriftPreview(docs: VirtualDocuments, folder: vscode.WorkspaceFolder, text: string): Promise<vscode.TextEditor> {
  return docs.showText(`drift/${folder.name}.diff`, withNewline(text));
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

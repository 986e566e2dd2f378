/**
 * Explain DAG Access: the DAG at the cursor, the one a code lens names (`{ uri, dagId }`), or one
 * picked from the server's DAG list. The explanation (markdown from the server) opens rendered in a
 * panel whose links open the file at the line (markdownPanel.ts).
 */
import * as vscode from 'vscode';
import type { ExplainRequest } from '../../../server/src/protocol';
import { Commands, type ExplainDagArgs } from '../constants';
import { resolveFolder } from '../folders';
import { showMarkdownPanel } from '../markdownPanel';
import { isCancellation, reportError, type Services } from './services';

export function registerExplainCommand(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.explainDag, (arg?: unknown) => explainDag(services, arg));
}

async function explainDag(services: Services, arg: unknown): Promise<void> {
  try {
    const result = await explain(services, arg);
    if (!result) return;
    // The Markdown source stays readable as a document (airflow-dag-access:/explain/<dag>.md).
    services.docs.set(`explain/${result.dagId ?? 'dag'}.md`, result.markdown);
    try {
      // Rendered, with links that open the config / DAG file at the line.
      await showMarkdownPanel('explain', `Access: ${result.dagId ?? 'DAG'}`, result.markdown);
    } catch (error) {
      services.output.warn(`Explain panel unavailable (${error instanceof Error ? error.message : String(error)}): showing the Markdown preview`);
      await services.docs.showMarkdown(`explain/${result.dagId ?? 'dag'}.md`, result.markdown);
    }
  } catch (error) {
    if (!isCancellation(error)) await reportError(services, 'Could not explain DAG access', error);
  }
}

async function explain(services: Services, arg: unknown): Promise<ExplainRequest.Result | undefined> {
  if (isExplainArgs(arg)) {
    const uri = vscode.Uri.parse(arg.uri);
    const folder = await resolveFolder(uri);
    return folder && services.server.explain({ folderUri: folder.uri.toString(), uri: arg.uri, dagId: arg.dagId, ...(typeof arg.role === 'string' ? { role: arg.role } : {}) });
  }
  const editor = vscode.window.activeTextEditor;
  // From the editor context menu the argument is the document's URI.
  const fromEditor = editor && (!(arg instanceof vscode.Uri) || arg.toString() === editor.document.uri.toString());
  if (editor && fromEditor && ['python', 'yaml'].includes(editor.document.languageId)) {
    const folder = await resolveFolder(editor.document.uri);
    if (!folder) return undefined;
    const { line, character } = editor.selection.active;
    const atCursor = await services.server.explain({
      folderUri: folder.uri.toString(),
      uri: editor.document.uri.toString(),
      position: { line, character },
    });
    if (atCursor.dagId !== null) return atCursor;
    return pickAndExplain(services, folder);
  }
  const folder = await resolveFolder(arg instanceof vscode.Uri ? arg : undefined);
  return folder && pickAndExplain(services, folder);
}

async function pickAndExplain(services: Services, folder: vscode.WorkspaceFolder): Promise<ExplainRequest.Result | undefined> {
  const folderUri = folder.uri.toString();
  const { dags } = await services.server.listDags({ folderUri });
  if (dags.length === 0) {
    void vscode.window.showInformationMessage(`No DAGs indexed in "${folder.name}" yet.`);
    return undefined;
  }
  const items = dags.map((d) => ({
    label: d.dagId,
    description: `${vscode.workspace.asRelativePath(vscode.Uri.parse(d.uri), false)}:${d.line + 1}`,
    dag: d,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'DAG to explain', matchOnDescription: true });
  return picked && services.server.explain({ folderUri, uri: picked.dag.uri, dagId: picked.dag.dagId });
}

function isExplainArgs(arg: unknown): arg is ExplainDagArgs {
  return typeof arg === 'object' && arg !== null && typeof (arg as ExplainDagArgs).uri === 'string' && typeof (arg as ExplainDagArgs).dagId === 'string';
}

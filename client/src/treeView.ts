/**
 * The "Airflow Access" view in the explorer. Data comes from TreeRequest per workspace folder and
 * is fetched again when the server reports an index change (debounced) or on Refresh.
 */
import * as vscode from 'vscode';
import { Commands, VIEW_ID } from './constants';
import type { AccessServer } from './languageClient';
import { errorMessage } from './logger';
import { buildTree, type TreeNode } from './treeModel';

export class AccessTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private debounce: NodeJS.Timeout | undefined;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly server: AccessServer) {
    const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(
      view,
      server.onIndexChanged(() => this.scheduleRefresh()),
      server.onDidStart(() => this.refresh()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
      vscode.commands.registerCommand(Commands.refreshTree, () => this.refresh()),
    );
  }

  refresh(): void {
    clearTimeout(this.debounce);
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state =
      node.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : node.expanded
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    if (node.tooltipMarkdown) {
      // Provenance with links to the config / DAG file lines (file URIs with #L<line>); no command links, so not trusted.
      const md = new vscode.MarkdownString(node.tooltipMarkdown);
      md.supportThemeIcons = false;
      item.tooltip = md;
    } else item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    if (node.location) {
      item.command = { command: Commands.openLocation, title: 'Open', arguments: [node.location] };
    }
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.children;
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0 || this.server.state === 'stopped') return [];
    const perFolder = await Promise.all(folders.map((f) => this.folderNodes(f, folders.length > 1)));
    return perFolder.flat();
  }

  private async folderNodes(folder: vscode.WorkspaceFolder, nested: boolean): Promise<TreeNode[]> {
    const prefix = nested ? `${folder.uri.toString()}#` : '';
    let nodes: TreeNode[];
    try {
      nodes = buildTree(await this.server.tree({ folderUri: folder.uri.toString() }), prefix);
    } catch (error) {
      nodes = [{ id: `${prefix}error`, label: `Could not load: ${errorMessage(error)}`, icon: 'error', children: [] }];
    }
    if (!nested) return nodes;
    return [{ id: prefix, label: folder.name, icon: 'root-folder', children: nodes, expanded: true }];
  }

  private scheduleRefresh(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.changed.fire(undefined), 300);
  }

  dispose(): void {
    clearTimeout(this.debounce);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

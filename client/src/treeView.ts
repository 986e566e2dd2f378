/**
 * The "Airflow Access" view in the explorer. The top level comes from TreeRequest per workspace
 * folder (counts only, small at 10,000 DAGs); a role's or DAG's children, with their reasons and
 * tooltips, from TreeChildrenRequest when it is expanded (a role's tooltip when it is hovered:
 * resolveTreeItem). Fetched again when the server reports an index change (debounced), when a
 * folder's indexing ends, or on Refresh. While a folder is being indexed the view's message says so.
 */
import * as vscode from 'vscode';
import type { TreeChildrenRequest } from '../../server/src/protocol';
import { Commands, VIEW_ID } from './constants';
import type { AccessServer } from './languageClient';
import { errorMessage } from './logger';
import { buildTree, dagChildren, roleChildren, type TreeNode } from './treeModel';

interface LazyState {
  folderUri: string;
  prefix: string;
  /** One request per node, shared by getChildren and resolveTreeItem. */
  detail?: Promise<TreeChildrenRequest.Result>;
}

export class AccessTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly view: vscode.TreeView<TreeNode>;
  private readonly lazy = new WeakMap<TreeNode, LazyState>();
  /** Folders whose last answer was partial: refreshed when their indexing ends. */
  private readonly partialFolders = new Set<string>();
  private debounce: NodeJS.Timeout | undefined;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly server: AccessServer) {
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(
      this.view,
      server.onIndexChanged(() => this.scheduleRefresh()),
      server.onStatus((s) => {
        if ([...this.partialFolders].some((uri) => !s.folders.find((f) => f.folderUri === uri)?.indexing)) this.scheduleRefresh();
      }),
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
      node.children.length === 0 && !node.lazy
        ? vscode.TreeItemCollapsibleState.None
        : node.expanded
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltipMarkdown ? markdown(node.tooltipMarkdown) : node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    if (node.location) {
      item.command = { command: Commands.openLocation, title: 'Open', arguments: [node.location] };
    }
    return item;
  }

  /** A role's Markdown tooltip (the DAGs it reaches, with links) is fetched when it is hovered. */
  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode): Promise<vscode.TreeItem> {
    if (node.lazy?.kind !== 'role' || item.tooltip) return item;
    try {
      const detail = await this.detail(node);
      if (detail?.role) item.tooltip = markdown(detail.role.tooltip);
    } catch {
      // No tooltip is better than an error popup on hover; expanding the node shows the error.
    }
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) {
      if (!node.lazy) return node.children;
      const state = this.lazy.get(node);
      try {
        const detail = await this.detail(node);
        if (detail?.role) return roleChildren(detail.role, state?.prefix);
        if (detail?.dag) return dagChildren(detail.dag, state?.prefix);
        return [{ id: `${node.id}/-gone`, label: 'No longer in the workspace: refresh', icon: 'info', children: [] }];
      } catch (error) {
        if (state) state.detail = undefined;
        return [{ id: `${node.id}/-error`, label: `Could not load: ${errorMessage(error)}`, icon: 'error', children: [] }];
      }
    }
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0 || this.server.state === 'stopped') {
      this.view.message = undefined;
      return [];
    }
    const perFolder = await Promise.all(folders.map((f) => this.folderNodes(f, folders.length > 1)));
    const notes = perFolder.flatMap((x) => [x.note, x.partial]).filter((x): x is string => !!x);
    // The server's note while indexing ("Indexing: 1,200 of 10,000 files …"): some DAGs and roles may be missing;
    // under Keycloak / AWS, that the auth manager decides access (no role is shown, which is not "nobody").
    this.view.message = notes.length ? [...new Set(notes)].join(' · ') : undefined;
    return perFolder.flatMap((x) => x.nodes);
  }

  private detail(node: TreeNode): Promise<TreeChildrenRequest.Result> | undefined {
    const state = this.lazy.get(node);
    if (!state || !node.lazy) return undefined;
    // Not cancelled with a hover: the same answer serves the expansion.
    state.detail ??= this.server.treeChildren({ folderUri: state.folderUri, node: node.lazy });
    return state.detail;
  }

  private async folderNodes(folder: vscode.WorkspaceFolder, nested: boolean): Promise<{ nodes: TreeNode[]; partial?: string; note?: string }> {
    const folderUri = folder.uri.toString();
    const prefix = nested ? `${folderUri}#` : '';
    let nodes: TreeNode[];
    let partial: string | undefined;
    let note: string | undefined;
    try {
      const result = await this.server.tree({ folderUri });
      partial = result.partial;
      note = result.note;
      nodes = buildTree(result, prefix);
      for (const group of nodes) for (const n of group.children) if (n.lazy) this.lazy.set(n, { folderUri, prefix });
    } catch (error) {
      nodes = [{ id: `${prefix}error`, label: `Could not load: ${errorMessage(error)}`, icon: 'error', children: [] }];
    }
    if (partial) this.partialFolders.add(folderUri);
    else this.partialFolders.delete(folderUri);
    if (!nested) return { nodes, partial, note };
    const named = (s: string | undefined) => (s ? `${folder.name}: ${s}` : undefined);
    return { nodes: [{ id: prefix, label: folder.name, icon: 'root-folder', children: nodes, expanded: true }], partial: named(partial), note: named(note) };
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

function markdown(text: string): vscode.MarkdownString {
  // Provenance with links to the config / DAG file lines (file URIs with #L<line>); no command links, so not trusted.
  const md = new vscode.MarkdownString(text);
  md.supportThemeIcons = false;
  return md;
}

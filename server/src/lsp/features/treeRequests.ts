/** The "Airflow Access" tree's data (TreeRequest): built by project/accessTree.ts, located here. */
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { TreeChildrenRequest, TreeRequest } from '../../protocol';
import type { Range } from '../../model/facts';
import { buildAccessTree, buildTreeChildren } from '../../project/accessTree';
import type { ServerContext } from '../context';
import { pathToUri } from '../convert';
import { guard, throwIfCancelled } from '../handler';
import { projectOf } from './syncRequests';

function loc(ctx: ServerContext) {
  return (file: string, range: Range): TreeRequest.Location => ({ uri: pathToUri(file, ctx.documents), line: range.start.line, character: range.start.character });
}

export function registerTreeRequests(ctx: ServerContext): void {
  ctx.connection.onRequest(TreeRequest.type, guard(ctx.log, TreeRequest.method, async (params: TreeRequest.Params, token): Promise<TreeRequest.Result> => {
    // The tree answers while the folder is still being indexed, marked `partial`, and is refreshed as files come in.
    const project = await projectOf(ctx, params, { partial: true });
    const partial = project.partialNote();
    return { ...buildAccessTree(project, loc(ctx), () => throwIfCancelled(token)), ...(partial ? { partial } : {}) };
  }));
  // A node's children (and its tooltip), when the user expands it or hovers it.
  ctx.connection.onRequest(TreeChildrenRequest.type, guard(ctx.log, TreeChildrenRequest.method, async (params: TreeChildrenRequest.Params, token): Promise<TreeChildrenRequest.Result> => {
    if (!params || typeof params.node?.name !== 'string' || (params.node.kind !== 'role' && params.node.kind !== 'dag')) throw new ResponseError(ErrorCodes.InvalidParams, 'treeChildren needs node: { kind: "role" | "dag", name }');
    const project = await projectOf(ctx, params, { partial: true });
    const partial = project.partialNote();
    return { ...buildTreeChildren(project, params.node, loc(ctx), () => throwIfCancelled(token)), ...(partial ? { partial } : {}) };
  }));
}

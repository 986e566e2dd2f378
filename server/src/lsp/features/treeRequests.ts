/** The "Airflow Access" tree's data (TreeRequest): built by project/accessTree.ts, located here. */
import { TreeRequest } from '../../protocol';
import type { Range } from '../../model/facts';
import { buildAccessTree } from '../../project/accessTree';
import type { ServerContext } from '../context';
import { pathToUri } from '../convert';
import { guard, throwIfCancelled } from '../handler';
import { projectOf } from './syncRequests';

export function registerTreeRequests(ctx: ServerContext): void {
  ctx.connection.onRequest(TreeRequest.type, guard(ctx.log, TreeRequest.method, async (params: TreeRequest.Params, token): Promise<TreeRequest.Result> => {
    // The tree answers while the folder is still being indexed, marked `partial`, and is refreshed as files come in.
    const project = await projectOf(ctx, params, { partial: true });
    const loc = (file: string, range: Range): TreeRequest.Location => ({ uri: pathToUri(file, ctx.documents), line: range.start.line, character: range.start.character });
    const partial = project.partialNote();
    return { ...buildAccessTree(project, loc, () => throwIfCancelled(token)), ...(partial ? { partial } : {}) };
  }));
}

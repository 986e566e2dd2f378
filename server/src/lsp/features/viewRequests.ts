/** Custom read-only requests for the client's views: explain, listDags (the matrix: matrixRequests.ts; the tree: treeRequests.ts). */
import { ExplainRequest, ListDagsRequest } from '../../protocol';
import type { DagFact } from '../../model/facts';
import { dagAccessMarkdown, dagName } from '../../project/describe';
import { pairMarkdown } from '../../project/describePair';
import { dagAt } from '../../project/locate';
import type { Project } from '../../project/project';
import type { ServerContext } from '../context';
import { pathToUri, uriToPath } from '../convert';
import { guard } from '../handler';
import { projectOf } from './syncRequests';

function staticDags(project: Project) {
  return project.allDags().filter(({ dag }) => dag.dagId.kind === 'static');
}

export function registerViewRequests(ctx: ServerContext): void {
  const { connection, log } = ctx;

  connection.onRequest(ExplainRequest.type, guard(log, ExplainRequest.method, async (params: ExplainRequest.Params): Promise<ExplainRequest.Result> => {
    const project = await (params.uri ? ctx.workspace.projectFor(params.uri, { complete: true }) : projectOf(ctx, params));
    if (!project) return { dagId: null, markdown: 'No workspace folder for this file.', json: null };
    let found: { file: string; dag: DagFact } | undefined;
    if (params.dagId) found = staticDags(project).find(({ dag }) => dag.dagId.kind === 'static' && dag.dagId.value === params.dagId);
    else if (params.uri && params.position) {
      const file = uriToPath(params.uri);
      const facts = file ? project.getFile(file) : undefined;
      const dag = facts && dagAt(facts, params.position);
      if (file && dag) found = { file, dag };
    }
    if (!found) return { dagId: params.dagId ?? null, markdown: params.dagId ? `No DAG '${params.dagId}' in this workspace.` : 'No DAG at the cursor.', json: null };
    const access = project.dagAccess(found.file, found.dag);
    const markdown = access ? dagAccessMarkdown(project, access) : 'Unknown.';
    const pair = access && typeof params.role === 'string' ? `${pairMarkdown(project, access, params.role)}\n\n---\n\n` : '';
    return { dagId: dagName(found.dag), markdown: pair + markdown, json: access };
  }));

  connection.onRequest(ListDagsRequest.type, guard(log, ListDagsRequest.method, async (params: ListDagsRequest.Params): Promise<ListDagsRequest.Result> => {
    const project = await projectOf(ctx, params);
    return { dags: staticDags(project).map(({ file, dag }) => ({ dagId: dagName(dag), uri: pathToUri(file, ctx.documents), line: dag.dagId.range.start.line })) };
  }));
}

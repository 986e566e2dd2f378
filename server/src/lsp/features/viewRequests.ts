/** Custom read-only requests for the client's views: explain, listDags, matrix, tree. */
import { ExplainRequest, ListDagsRequest, MatrixRequest, TreeRequest } from '../../protocol';
import type { DagAccess } from '../../model/access';
import type { DagFact, Range } from '../../model/facts';
import { dagAccessMarkdown, dagName } from '../../project/describe';
import { dagAt } from '../../project/locate';
import type { Project } from '../../project/project';
import type { ServerContext } from '../context';
import { pathToUri, uriToPath } from '../convert';
import { guard, throwIfCancelled } from '../handler';
import { projectOf } from './syncRequests';
import { isDefaultRole } from '../../engine/defaultRoles';
import { dagWideActions, defaultRolesLine, groupDefaultColumns, isPlainDefaultRole } from '../../engine/reach';

function loc(ctx: ServerContext, file: string, range: Range): TreeRequest.Location {
  return { uri: pathToUri(file, ctx.documents), line: range.start.line, character: range.start.character };
}

function staticDags(project: Project) {
  return project.allDags().filter(({ dag }) => dag.dagId.kind === 'static');
}

function actionsOf(a: DagAccess, role: string): string[] {
  const r = a.roles.find((x) => x.role === role);
  return r ? [...r.dagActions, ...r.dagRunActions.map((x) => `DAG Runs.${x}`)] : [];
}

export function registerViewRequests(ctx: ServerContext): void {
  const { connection, log } = ctx;

  connection.onRequest(ExplainRequest.method, guard(log, ExplainRequest.method, async (params: ExplainRequest.Params): Promise<ExplainRequest.Result> => {
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
    return { dagId: dagName(found.dag), markdown: access ? dagAccessMarkdown(project, access) : 'Unknown.', json: access };
  }));

  connection.onRequest(ListDagsRequest.method, guard(log, ListDagsRequest.method, async (params: ListDagsRequest.Params): Promise<ListDagsRequest.Result> => {
    const project = await projectOf(ctx, params);
    return { dags: staticDags(project).map(({ file, dag }) => ({ dagId: dagName(dag), uri: pathToUri(file, ctx.documents), line: dag.dagId.range.start.line })) };
  }));

  connection.onRequest(MatrixRequest.method, guard(log, MatrixRequest.method, async (params: MatrixRequest.Params, token): Promise<MatrixRequest.Result> => {
    const project = await projectOf(ctx, params);
    const dags = staticDags(project);
    const accesses = dags.map(({ file, dag }) => {
      throwIfCancelled(token);
      return project.dagAccess(file, dag);
    });
    const roles = [...new Set(accesses.flatMap((a) => a?.roles.filter((r) => r.dagActions.length || r.dagRunActions.length).map((r) => r.role) ?? []))].sort();
    const cells = accesses.map((a) => roles.map((role) => (a ? actionsOf(a, role) : [])));
    const names = dags.map(({ dag }) => dagName(dag));
    const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const csv = [['dag_id', ...roles].map(csvCell).join(','), ...names.map((n, i) => [n, ...cells[i].map((c) => c.join(' '))].map(csvCell).join(','))].join('\n');
    // Default roles with the same (DAG-wide) cell on every DAG: one line above the table, not a column each.
    const text = (i: number, j: number) => cells[i][j].join(', ') || '—';
    const { keep, line } = groupDefaultColumns(roles, isDefaultRole, names.length, text);
    const markdown = [
      ...(line ? [`Default roles (DAG-wide, the same on every DAG): ${line}`, ''] : []),
      `| DAG | ${keep.map((j) => roles[j]).join(' | ')} |`,
      `|---|${keep.map(() => '---').join('|')}|`,
      ...names.map((n, i) => `| ${n} | ${keep.map((j) => text(i, j)).join(' | ')} |`),
    ].join('\n');
    return { roles, dags: dags.map(({ file, dag }) => ({ dagId: dagName(dag), uri: pathToUri(file, ctx.documents), line: dag.dagId.range.start.line })), cells, csv, markdown };
  }));

  connection.onRequest(TreeRequest.method, guard(log, TreeRequest.method, async (params: TreeRequest.Params, token): Promise<TreeRequest.Result> => {
    // The tree answers while the folder is still being indexed, marked `partial`, and is refreshed as files come in.
    const project = await projectOf(ctx, params, { partial: true });
    const dags = staticDags(project).map(({ file, dag }) => ({ file, dag, access: project.dagAccess(file, dag) }));
    throwIfCancelled(token);
    const config = project.config;
    const roleOf = (a: DagAccess, name: string) => a.roles.find((x) => x.role === name);
    const roles = (config?.roles ?? []).map((r) => ({
      role: r.name,
      location: loc(ctx, config!.file, r.nameRange),
      dags: dags
        .filter((d) => d.access && actionsOf(d.access, r.name).length)
        .map((d) => {
          const wide = dagWideActions(roleOf(d.access!, r.name)!);
          return { dagId: dagName(d.dag), actions: actionsOf(d.access!, r.name), location: loc(ctx, d.file, d.dag.dagId.range), ...(wide.length ? { dagWide: wide } : {}) };
        }),
    }));
    // Per DAG: default roles that reach it only through their DAG-wide access are one line
    // (`defaultRoles`), not one child each; custom roles say which actions are DAG-wide.
    const treeDags = dags.map((d) => ({
      dagId: dagName(d.dag),
      location: loc(ctx, d.file, d.dag.dagId.range),
      ...(d.access?.notImported ? { notImported: d.access.notImported } : {}),
      roles: (d.access?.roles ?? [])
        .filter((r) => (r.dagActions.length || r.dagRunActions.length) && !isPlainDefaultRole(r))
        .map((r) => {
          const wide = dagWideActions(r);
          return { role: r.role, actions: actionsOf(d.access!, r.role), ...(wide.length ? { dagWide: wide } : {}) };
        }),
      ...(d.access && defaultRolesLine(d.access.roles) ? { defaultRoles: defaultRolesLine(d.access.roles) } : {}),
    }));
    const assets: TreeRequest.Result['assets'] = [];
    const seen = new Set<string>();
    for (const f of project.files()) {
      throwIfCancelled(token);
      for (const a of f.assets) {
        if (!a.key || seen.has(a.key)) continue;
        seen.add(a.key);
        const names = (sides: { dag: DagFact }[]) => [...new Set(sides.map((s) => dagName(s.dag)))];
        const teams = a.accessControl?.producerTeams?.map((t) => t.value) ?? a.allowProducerTeams?.teams.map((t) => t.value) ?? [];
        assets.push({ key: a.key, location: loc(ctx, f.file, a.variable?.range ?? a.range), triggeringTeams: teams, consumers: names(project.table.consumersOf(a.key)), producers: names(project.table.producersOf(a.key)) });
      }
    }
    const partial = project.partialNote();
    return { roles, dags: treeDags, assets, ...(partial ? { partial } : {}) };
  }));
}

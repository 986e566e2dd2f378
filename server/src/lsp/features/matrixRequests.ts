/** The access matrix for the editor's webview, and its CSV / Markdown export (the CLI's text). */
import * as path from 'path';
import { MatrixExportRequest, MatrixRequest } from '../../protocol';
import { matrixToCsv, matrixToMarkdown } from '../../engine/matrixExport';
import { matrixOf } from '../../project/matrixOf';
import type { ServerContext } from '../context';
import { pathToUri } from '../convert';
import { guard, throwIfCancelled } from '../handler';
import { projectOf } from './syncRequests';

export function registerMatrixRequests(ctx: ServerContext): void {
  const { connection, log } = ctx;

  connection.onRequest(MatrixRequest.type, guard(log, MatrixRequest.method, async (params: MatrixRequest.Params, token): Promise<MatrixRequest.Result> => {
    const project = await projectOf(ctx, params);
    const m = matrixOf(project, () => throwIfCancelled(token));
    return {
      roles: m.roles,
      builtin: m.builtin,
      folded: m.folded,
      foldedLine: m.foldedLine,
      dags: m.dags.map((d) => ({ dagId: d.dagId, uri: pathToUri(d.file, ctx.documents), line: d.range.start.line })),
      tags: m.dags.map((d) => d.tags),
      teams: m.dags.map((d) => d.team),
      notImported: m.dags.map((d) => d.notImported),
      codes: m.codes,
      ...(m.note ? { note: m.note } : {}),
    };
  }));

  connection.onRequest(MatrixExportRequest.type, guard(log, MatrixExportRequest.method, async (params: MatrixExportRequest.Params, token): Promise<MatrixExportRequest.Result> => {
    if (params?.format !== 'csv' && params?.format !== 'md') throw new Error(`format must be "csv" or "md", not ${JSON.stringify(params?.format)}`);
    const project = await projectOf(ctx, params);
    const m = matrixOf(project, () => throwIfCancelled(token));
    // Files relative to the folder, as the CLI prints them when run at its root.
    const rel = (f: string) => path.relative(project.root, f).split(path.sep).join('/') || '.';
    return { text: params.format === 'csv' ? matrixToCsv(m, rel) : matrixToMarkdown(m), dags: m.dags.length, roles: m.roles.length };
  }));
}

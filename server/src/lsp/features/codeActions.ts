/**
 * Code actions. Quick fixes come only from the fixes rules recorded in Diagnostic.data; refactors
 * are offered at the cursor (add a role's tag to a DAG, convert a seed role_mappings file to v1).
 * Every edit names the document version so a stale action fails instead of corrupting the file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CodeAction, CodeActionKind, CreateFile, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import { configToV1Yaml } from '../../config';
import type { Fix } from '../../model/findings';
import { dagAt } from '../../project/locate';
import type { Project } from '../../project/project';
import { addTagFixes } from '../../rules/addTag';
import { sourceOf } from '../../rules/pySource';
import type { ServerContext } from '../context';
import { DIAGNOSTIC_SOURCE, fixToCodeAction, pathToUri, uriToPath, type DiagnosticData } from '../convert';
import { guard } from '../handler';

function recordedFixes(d: Diagnostic): Fix[] {
  if (d.source !== DIAGNOSTIC_SOURCE) return [];
  const data = d.data as DiagnosticData | undefined;
  return Array.isArray(data?.fixes) ? data!.fixes : [];
}

function wants(params: CodeActionParams, kind: string): boolean {
  const only = params.context.only;
  return !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
}

export function seedConversionFix(project: Project, text: string): Fix | null {
  const config = project.config;
  if (!config || config.format !== 'seed-yaml') return null;
  const lines = text.split(/\r?\n/);
  return {
    title: 'Convert role_mappings to the airflow-access v1 format',
    kind: 'refactor',
    edits: [{ file: config.file, range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } }, newText: configToV1Yaml(config) }],
  };
}

/**
 * For the MWAA sync DAG used as the config: write airflow-access.yaml beside the workspace root with the
 * text `airflow-access migrate-config` writes (offered while that file does not exist).
 */
export function seedPythonMigration(project: Project): CodeAction | null {
  const config = project.config;
  if (!config || config.format !== 'seed-python') return null;
  const target = path.join(project.root, 'airflow-access.yaml');
  if (fs.existsSync(target)) return null;
  const uri = pathToUri(target);
  return CodeAction.create('Write airflow-access.yaml (v1) from this role_mappings list', {
    documentChanges: [
      CreateFile.create(uri, { overwrite: false, ignoreIfExists: true }),
      { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: configToV1Yaml(config) }] },
    ],
  }, CodeActionKind.Refactor);
}

export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction(
    guard(ctx.log, 'textDocument/codeAction', async (params): Promise<CodeAction[]> => {
      const file = uriToPath(params.textDocument.uri);
      const project = file ? await ctx.workspace.projectFor(params.textDocument.uri) : null;
      if (!file || !project) return [];
      const out: CodeAction[] = [];
      if (wants(params, 'quickfix')) {
        for (const d of params.context.diagnostics) {
          for (const fix of recordedFixes(d)) out.push(fixToCodeAction(fix, ctx.documents, [d]));
        }
      }
      if (wants(params, 'refactor')) {
        if (project.isConfigFile(file)) {
          const text = ctx.documents.get(params.textDocument.uri)?.getText() ?? project.configText ?? '';
          const fix = seedConversionFix(project, text);
          if (fix) out.push(fixToCodeAction(fix, ctx.documents));
          const migration = seedPythonMigration(project);
          if (migration) out.push(migration);
        } else {
          const facts = project.getFile(file);
          const dag = facts && dagAt(facts, params.range.start);
          // Offered where the DAG is named or its tags are written, not on every line of the call
          // (a finding on access_control or default_args would otherwise list a refactor per tag).
          const line = params.range.start.line;
          const onLine = (r: { start: { line: number }; end: { line: number } } | undefined) => !!r && r.start.line <= line && line <= r.end.line;
          if (dag && (onLine(dag.tags?.range) || line === dag.nameRange.start.line || line === dag.dagId.range.start.line)) {
            const already = new Set(out.map((a) => a.title));
            for (const fix of addTagFixes(dag, project.config, file, sourceOf(project, facts))) if (!already.has(fix.title)) out.push(fixToCodeAction(fix, ctx.documents));
          }
        }
      }
      return out;
    }),
  );
}

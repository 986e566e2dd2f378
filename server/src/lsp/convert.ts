/** Conversions between the pure model (paths, findings, fixes) and LSP types. */
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import {
  CodeAction,
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix, Severity } from '../model/findings';
import { docsUrl } from '../rules/catalogue';

export const DIAGNOSTIC_SOURCE = 'Airflow DAG Access';

export function uriToPath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return path.normalize(fileURLToPath(uri));
  } catch {
    return null;
  }
}

/** The URI the client uses for an open document, else a file URI built from the path. */
export function pathToUri(file: string, documents?: TextDocuments<TextDocument>): string {
  const uri = pathToFileURL(file).href;
  if (documents && !documents.get(uri)) {
    for (const d of documents.all()) if (uriToPath(d.uri) === file) return d.uri;
  }
  return uri;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticData {
  fixes?: Fix[];
}

export function findingToDiagnostic(f: Finding): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: docsUrl(f.code) },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  if (f.tags?.length) {
    d.tags = f.tags.map((t) => (t === 'deprecated' ? DiagnosticTag.Deprecated : DiagnosticTag.Unnecessary));
  }
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({
      location: { uri: pathToFileURL(r.file).href, range: r.range },
      message: r.message,
    }));
  }
  if (f.fixes?.length) d.data = { fixes: f.fixes } satisfies DiagnosticData;
  return d;
}

/**
 * A code action from a fix. Edits of open documents carry the document version so a stale
 * fix is rejected by the client instead of corrupting the file; other files get version null.
 */
export function fixToCodeAction(fix: Fix, documents: TextDocuments<TextDocument>, diagnostics?: Diagnostic[]): CodeAction {
  const byFile = new Map<string, TextDocumentEdit>();
  for (const e of fix.edits) {
    const uri = pathToUri(e.file, documents);
    let tde = byFile.get(uri);
    if (!tde) {
      const version = documents.get(uri)?.version ?? null;
      tde = { textDocument: { uri, version }, edits: [] };
      byFile.set(uri, tde);
    }
    tde.edits.push({ range: e.range, newText: e.newText });
  }
  const edit: WorkspaceEdit = { documentChanges: [...byFile.values()] };
  const action = CodeAction.create(fix.title, edit, fix.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.Refactor);
  if (fix.isPreferred) action.isPreferred = true;
  if (diagnostics?.length) action.diagnostics = diagnostics;
  return action;
}

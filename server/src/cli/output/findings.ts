/**
 * Findings for people (gcc-style `file:line:col: severity CODE message`, which terminals and CI
 * problem matchers link) and as the stable `check` JSON (documented in docs/cli.md).
 * Lines and columns shown to people and written to JSON are 1-based; columns count UTF-16 code units.
 */
import type { Finding, Severity } from '../../model/findings';
import { shown } from '../../model/terminalText';
import type { Palette } from './colour';

export const SEVERITY_ORDER: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

export interface CheckReport {
  root: string;
  configFile: string | null;
  filesChecked: number;
  dagCount: number;
  findings: Finding[];
  /** `skipped` while the config has errors (the DAGs were not judged against it). */
  dagChecks: 'ran' | 'skipped';
  /** What the reader must know to read the findings (no config, DAG checks skipped). */
  notes: string[];
}

/** Sort by file, then position, then code: the order every output uses. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.code.localeCompare(b.code),
  );
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function formatFindingsText(report: CheckReport, rel: (file: string) => string, c: Palette): string {
  const lines: string[] = [];
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.cyan, hint: c.dim };
  for (const f of report.findings) {
    const where = `${shown(rel(f.file))}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
    lines.push(`${c.bold(where)}: ${paint[f.severity](f.severity)} ${c.dim(f.code)} ${shown(f.message)}`);
    for (const r of f.related ?? []) {
      lines.push(`  ${c.dim(`${shown(rel(r.file))}:${r.range.start.line + 1}:${r.range.start.character + 1}:`)} ${shown(r.message)}`);
    }
  }
  if (report.notes.length && report.findings.length) lines.push('');
  for (const note of report.notes) lines.push(c.yellow(note));
  const n = countBySeverity(report.findings);
  const total = report.findings.length;
  const files = `${report.filesChecked} file${report.filesChecked === 1 ? '' : 's'}`;
  const dags = `${report.dagCount} DAG${report.dagCount === 1 ? '' : 's'}`;
  if (total === 0) lines.push(c.green(`No problems in ${files} (${dags}).`));
  else {
    const parts = (['error', 'warning', 'info', 'hint'] as const).filter((s) => n[s] > 0).map((s) => `${n[s]} ${s}${n[s] === 1 || s === 'info' ? '' : 's'}`);
    lines.push('', `${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${files} (${dags}).`);
  }
  return `${lines.join('\n')}\n`;
}

function jsonRange(r: Finding['range']) {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

/** The `check --format json` document (schemaVersion 1). */
export function findingsToJson(report: CheckReport, rel: (file: string) => string, version: string): unknown {
  const n = countBySeverity(report.findings);
  return {
    schemaVersion: 1,
    tool: { name: 'airflow-access', version },
    root: report.root,
    config: report.configFile === null ? null : rel(report.configFile),
    summary: { files: report.filesChecked, dags: report.dagCount, errors: n.error, warnings: n.warning, infos: n.info, hints: n.hint },
    dagChecks: report.dagChecks,
    notes: report.notes,
    findings: report.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      file: rel(f.file),
      ...jsonRange(f.range),
      related: (f.related ?? []).map((r) => ({ file: rel(r.file), ...jsonRange(r.range), message: r.message })),
      fixes: (f.fixes ?? []).map((x) => ({
        title: x.title,
        edits: x.edits.map((e) => ({ file: rel(e.file), ...jsonRange(e.range), newText: e.newText })),
      })),
      tags: f.tags ?? [],
    })),
  };
}

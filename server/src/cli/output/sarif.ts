/**
 * SARIF 2.1.0 for code-scanning tools (GitHub code scanning, GitLab, Azure DevOps).
 * One run; rules come from the rule catalogue; locations are relative to %SRCROOT% (the workspace root);
 * regions are 1-based and columns count UTF-16 code units, which the run declares with `columnKind`.
 */
import { pathToFileURL } from 'url';
import type { Finding, Severity } from '../../model/findings';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/airflow-dag-access/airflow-dag-access';

export interface RuleInfo {
  code: string;
  /** Short kebab-case name, e.g. `unmapped-permission-tag`. */
  name?: string;
  title: string;
  defaultSeverity: Severity;
  /** Documentation URL (the README anchor of the rule). */
  helpUri?: string;
}

export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

function region(r: Finding['range']) {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

export function toSarif(findings: readonly Finding[], catalogue: readonly RuleInfo[], root: string, rel: (f: string) => string, version: string): unknown {
  // Every reported code must have a rule entry, even one the catalogue does not list (e.g. parse errors).
  const rules: RuleInfo[] = [...catalogue];
  for (const f of findings) {
    if (!rules.some((r) => r.code === f.code)) rules.push({ code: f.code, title: f.code, defaultSeverity: f.severity });
  }
  const index = new Map(rules.map((r, i) => [r.code, i]));
  const location = (file: string, range: Finding['range']) => ({
    physicalLocation: { artifactLocation: { uri: encodeURI(rel(file)), uriBaseId: '%SRCROOT%' }, region: region(range) },
  });
  const rootUri = pathToFileURL(root).href;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'airflow-access',
            semanticVersion: version,
            version,
            informationUri: INFORMATION_URI,
            rules: rules.map((r) => ({
              id: r.code,
              ...(r.name ? { name: r.name } : {}),
              shortDescription: { text: r.title },
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
              defaultConfiguration: { level: sarifLevel(r.defaultSeverity) },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri.endsWith('/') ? rootUri : `${rootUri}/` } },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code),
          level: sarifLevel(f.severity),
          message: { text: f.message },
          locations: [location(f.file, f.range)],
          ...(f.related?.length
            ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...location(r.file, r.range), message: { text: r.message } })) }
            : {}),
          partialFingerprints: { 'airflowAccess/v1': fingerprint(`${f.code}|${rel(f.file)}|${f.message}`) },
        })),
      },
    ],
  };
}

/** A stable, line-independent fingerprint so code scanning keeps an alert open across edits above it. */
function fingerprint(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

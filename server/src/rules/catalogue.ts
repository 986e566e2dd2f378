/**
 * The diagnostic catalogue: stable codes, default severities and documentation anchors.
 * Codes never change meaning; retired codes are not reused. docs/diagnostics.md has one section per code.
 */
import type { Severity } from '../model/findings';

export const DOCS_URL = 'https://github.com/airflow-dag-access/airflow-dag-access/blob/main/docs/diagnostics.md';

export interface CodeInfo {
  code: string;
  /** Short kebab-case name (used in docs headings and the CLI's --rule filter). */
  name: string;
  defaultSeverity: Severity;
  /** One line: what the code reports. */
  title: string;
  /** Documentation URL (anchor of the code in docs/diagnostics.md). */
  helpUri: string;
}

const ENTRIES: Omit<CodeInfo, 'helpUri'>[] = [
  { code: 'ADA001', name: 'unmapped-permission-tag', defaultSeverity: 'warning', title: 'A permission-like tag maps to no role in the config.' },
  { code: 'ADA002', name: 'tag-too-long', defaultSeverity: 'error', title: 'A tag is longer than 100 characters; Airflow refuses to load the DAG.' },
  { code: 'ADA003', name: 'duplicate-tag', defaultSeverity: 'warning', title: 'The same tag is listed twice.' },
  { code: 'ADA004', name: 'unknown-role', defaultSeverity: 'error', title: 'access_control names a role that exists nowhere.' },
  { code: 'ADA005', name: 'invalid-action', defaultSeverity: 'error', title: 'An access_control action or resource is not valid.' },
  { code: 'ADA006', name: 'deprecated-action', defaultSeverity: 'warning', title: 'can_dag_read / can_dag_edit are deprecated.' },
  { code: 'ADA007', name: 'nested-access-control-version', defaultSeverity: 'error', title: 'The nested access_control form needs Airflow 2.10.' },
  { code: 'ADA008', name: 'tag-grant-reverted', defaultSeverity: 'warning', title: "A tag grant is reverted by the DAG's access_control." },
  { code: 'ADA009', name: 'edit-without-read', defaultSeverity: 'warning', title: 'A role can edit the DAG but not read it.' },
  { code: 'ADA010', name: 'no-non-admin-access', defaultSeverity: 'info', title: 'No custom role has a grant on the DAG; only role-wide permissions reach it.' },
  { code: 'ADA011', name: 'duplicate-dag-id', defaultSeverity: 'warning', title: 'Another DAG in the workspace has the same dag_id.' },
  { code: 'ADA012', name: 'invalid-dag-id', defaultSeverity: 'error', title: 'The dag_id has characters Airflow rejects or is too long.' },
  { code: 'ADA013', name: 'dynamic-dag-metadata', defaultSeverity: 'info', title: 'The dag_id or tags are computed at run time.' },
  { code: 'ADA014', name: 'tags-in-default-args', defaultSeverity: 'warning', title: 'tags inside default_args are ignored by Airflow.' },
  { code: 'ADA015', name: 'deprecated-allow-producer-teams', defaultSeverity: 'warning', title: 'Asset(allow_producer_teams=...) is replaced by AssetAccessControl.' },
  { code: 'ADA016', name: 'unknown-team', defaultSeverity: 'warning', title: 'A team in producer_teams / consumer_teams is not in the config.' },
  { code: 'ADA017', name: 'cross-team-event-blocked', defaultSeverity: 'warning', title: 'An asset event between two teams will be blocked.' },
  { code: 'ADA018', name: 'multi-team-without-teams', defaultSeverity: 'warning', title: 'multi_team is on but the config maps no teams.' },
  { code: 'ADA019', name: 'dag-not-instantiated', defaultSeverity: 'warning', title: 'A @dag function is never called, so Airflow never registers its DAG.' },
  { code: 'ADA020', name: 'unused-config-tag', defaultSeverity: 'info', title: "A role's tag is used by no DAG in the workspace." },
  { code: 'ADA021', name: 'shared-config-tag', defaultSeverity: 'info', title: 'Two roles are granted by the same tag.' },
  { code: 'ADA022', name: 'unknown-permission', defaultSeverity: 'error', title: 'A permission name in the config is not valid.' },
  { code: 'ADA023', name: 'role-missing-in-db', defaultSeverity: 'warning', title: 'A config role does not exist in the metadata database.' },
  { code: 'ADA024', name: 'db-drift', defaultSeverity: 'warning', title: 'Grants in the database differ from what the config explains.' },
  { code: 'ADA025', name: 'tag-with-nul', defaultSeverity: 'error', title: 'A tag contains a NUL character, which PostgreSQL cannot store.' },
  { code: 'ADA026', name: 'role-reads-every-dag', defaultSeverity: 'warning', title: 'A config role can read (or edit) every DAG, so its tags restrict nothing.' },
  { code: 'ADA027', name: 'import-error', defaultSeverity: 'error', title: 'The DAG file parses but raises when Airflow imports it (e.g. a bare @asset).' },
  { code: 'ADA030', name: 'airflow-version-mismatch', defaultSeverity: 'warning', title: "The config's airflow.version differs from the database's Airflow version." },
  { code: 'ADA031', name: 'no-effect-under-auth-manager', defaultSeverity: 'warning', title: 'An access tag or access_control has no effect under the configured auth manager (not FAB).' },
  { code: 'ADA090', name: 'config-error', defaultSeverity: 'error', title: 'The config file is invalid (YAML or schema).' },
  { code: 'ADA091', name: 'config-warning', defaultSeverity: 'warning', title: 'The config file has a suspicious but valid value.' },
  { code: 'ADA092', name: 'invalid-airflowignore-pattern', defaultSeverity: 'warning', title: 'A line of .airflowignore does not do what it seems: its pattern cannot be compiled, so it ignores nothing, or a regexp keeps whitespace around it.' },
  { code: 'ADA098', name: 'file-not-analysed', defaultSeverity: 'info', title: 'The file was not analysed (too large, too deeply nested, too slow to parse, unreadable).' },
  { code: 'ADA099', name: 'python-syntax-error', defaultSeverity: 'error', title: 'The DAG file does not parse.' },
];

/** Every code, in order; the shape the CLI's SARIF output takes as its rule list. */
export const CODES: readonly CodeInfo[] = ENTRIES.map((e) => ({ ...e, helpUri: docsUrl(e.code) }));
export const CATALOGUE: ReadonlyMap<string, CodeInfo> = new Map(CODES.map((e) => [e.code, e]));

export function docsUrl(code: string): string {
  return `${DOCS_URL}#${code.toLowerCase()}`;
}

/** The relative docs anchor, e.g. `docs/diagnostics.md#ada001`. */
export function docsAnchor(code: string): string {
  return `docs/diagnostics.md#${code.toLowerCase()}`;
}

/**
 * Ids shared by the manifest (package.json) and the code. A unit test checks that every command
 * here is contributed and every contributed command is here. No vscode import (tests load it).
 */
export const SETTINGS_SECTION = 'airflowDagAccess';
export const VIEW_ID = 'airflowDagAccess.accessTree';
export const VIRTUAL_SCHEME = 'airflow-dag-access';
/** Language of the read-only sync plan, drift and rollback preview documents (syntaxes/airflow-access-plan.tmLanguage.json). */
export const PLAN_LANGUAGE = 'airflow-access-plan';
/** Context key: 'ok' | 'missing' | 'invalid' for the first folder (drives the tree's welcome view). */
export const CONFIG_STATE_CONTEXT = 'airflowDagAccess.configState';

export const Commands = {
  syncPermissions: 'airflowDagAccess.syncPermissions',
  showSyncPlan: 'airflowDagAccess.showSyncPlan',
  showDrift: 'airflowDagAccess.showDrift',
  rollbackSync: 'airflowDagAccess.rollbackSync',
  testConnection: 'airflowDagAccess.testConnection',
  /** Also the code lens command; arguments `{ uri: string; dagId: string }`. */
  explainDag: 'airflowDagAccess.explainDag',
  showMatrix: 'airflowDagAccess.showMatrix',
  exportMatrixCsv: 'airflowDagAccess.exportMatrixCsv',
  setDatabasePassword: 'airflowDagAccess.setDatabasePassword',
  clearDatabasePassword: 'airflowDagAccess.clearDatabasePassword',
  createConfig: 'airflowDagAccess.createConfig',
  restartServer: 'airflowDagAccess.restartServer',
  showOutput: 'airflowDagAccess.showOutput',
  refreshTree: 'airflowDagAccess.refreshTree',
  /** Tree items: arguments `{ uri: string; line: number; character: number }`. */
  openLocation: 'airflowDagAccess.openLocation',
} as const;

/** Arguments of `airflowDagAccess.explainDag` when the code lens (or a hover link) invokes it. */
export interface ExplainDagArgs {
  uri: string;
  dagId: string;
  /** From the matrix view: the explanation starts with this role on the DAG. */
  role?: string;
}

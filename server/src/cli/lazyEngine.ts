/**
 * The engine as the commands use it, imported by a command when it runs (`await import('../lazyEngine.js')`),
 * never by the dispatcher: `--help`, a usage error or a mistyped command load none of it. One module
 * rather than one import per piece keeps the bundle in a few chunks (each chunk is a file to resolve,
 * read and compile at start-up). The database drivers (db/connect.ts) and the language server
 * (commands/lsp.ts) are imported on their own, only when used.
 */
export { loadConfig, readState, withDatabase } from './dbSession';
export { openWorkspace, refuseInvalidConfig } from './workspace';
export { findDag, staticDags } from './dags';
export { explainText, explainToJson } from './output/access';
export { matrixToCsv, matrixToJson, matrixToMarkdown } from '../engine/matrixExport';
export { matrixOf } from '../project/matrixOf';
export { configToV1Yaml, loadConfigFileAsync } from '../config';
export { readDbState } from '../db/state';
export { formatDagAccessMarkdown } from '../engine';
export { createPythonParser } from '../parsing/treeSitter';
export { workspaceDags } from '../project/workspaceDags';
export { runConfigRules, runRules } from '../rules';
export { planAndApply } from '../sync/apply';
export { createDemoDatabase } from '../sync/demo';
export { generateDropInDag } from '../sync/dropInDag';
export { formatPlanText, generateSyncDag, planToSql } from '../sync/format';
export { planInputs } from '../sync/inputs';
export { planSync } from '../sync/plan';
export { planViolations, rulesOfPlan } from '../sync/planSafety';
export { readReplacedDag } from '../sync/replacedDag';
export { rollbackSnapshot } from '../sync/rollback';

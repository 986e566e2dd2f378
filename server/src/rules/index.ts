/**
 * The rule registry and runner. `runRules` checks one DAG file, `runConfigRules` the config file
 * (plus DB findings); both are pure and shared by the language server and `airflow-access check`.
 */
import type { Finding, Severity } from '../model/findings';
import type { Project } from '../project/project';
import { deprecatedAction, invalidAction, nestedAccessControl, unknownRole } from './accessControl';
import { allowProducerTeams, unknownTeam } from './assetTeams';
import { CATALOGUE } from './catalogue';
import { configProblems, multiTeamWithoutTeams, sharedConfigTag, unusedConfigTag } from './configRules';
import { crossTeamEvents } from './crossTeamEvents';
import { noEffectUnderAuthManager } from './authManagerRules';
import { dagNotInstantiated, dynamicMetadata, fileNotAnalysed, importErrors, invalidDagId, syntaxErrors, tagsInDefaultArgs } from './dagShape';
import { dbDrift, roleMissingInDb, roleReadsEveryDag } from './dbRules';
import { duplicateDagId } from './duplicateDagId';
import { editWithoutRead, noNonAdminAccess, revertedTagGrant } from './effectiveAccess';
import { invalidIgnorePattern } from './ignoreFile';
import type { ConfigRule, FileRule, Rule, RuleContext, RuleFinding } from './rule';
import { ruleContextOf } from './ruleContext';
import type { FileFacts } from '../model/facts';
import { duplicateTag, tagTooLong, tagWithNul } from './tagShape';
import { unmappedTag } from './unmappedTag';
import { airflowVersionMismatch } from './versionRules';

export { CATALOGUE, CODES, docsAnchor, docsUrl, type CodeInfo } from './catalogue';
export type { Rule, FileRule, ConfigRule, RuleFinding, RuleContext, RuleWorkspace, RuleDb } from './rule';
export { ruleContextOf } from './ruleContext';

export const FILE_RULES: readonly FileRule[] = [
  fileNotAnalysed,
  syntaxErrors,
  importErrors,
  unmappedTag,
  tagTooLong,
  duplicateTag,
  tagWithNul,
  unknownRole,
  invalidAction,
  deprecatedAction,
  nestedAccessControl,
  revertedTagGrant,
  editWithoutRead,
  noNonAdminAccess,
  duplicateDagId,
  invalidDagId,
  dynamicMetadata,
  tagsInDefaultArgs,
  dagNotInstantiated,
  allowProducerTeams,
  unknownTeam,
  crossTeamEvents,
  noEffectUnderAuthManager,
];

export const CONFIG_RULES: readonly ConfigRule[] = [configProblems, invalidIgnorePattern, multiTeamWithoutTeams, unusedConfigTag, sharedConfigTag, roleMissingInDb, dbDrift, airflowVersionMismatch, roleReadsEveryDag];

export const RULES: readonly Rule[] = [...FILE_RULES, ...CONFIG_RULES];

export type SeverityOverride = Severity | 'information' | 'off';

/** Severity per code from settings (`airflowDagAccess.diagnostics.severity` / `--severity`). */
function severityOverrides(project: Project): Record<string, SeverityOverride> {
  return (project.settings?.diagnostics?.severity ?? {}) as Record<string, SeverityOverride>;
}

function finish(rule: Rule, raw: RuleFinding[], overrides: Record<string, SeverityOverride>): Finding[] {
  const out: Finding[] = [];
  for (const r of raw) {
    const code = r.code ?? rule.code;
    const override = overrides[code];
    if (override === 'off') continue;
    const severity: Severity = override === 'information' ? 'info' : (override ?? r.severity ?? CATALOGUE.get(code)?.defaultSeverity ?? 'warning');
    out.push({ ...r, code, severity });
  }
  return out;
}

function runSafely(rule: Rule, run: () => RuleFinding[], onError?: (rule: Rule, e: unknown) => void): RuleFinding[] {
  try {
    return run();
  } catch (e) {
    // One broken rule must not hide the others' findings.
    onError?.(rule, e);
    return [];
  }
}

export interface RunOptions {
  onError?: (rule: Rule, error: unknown) => void;
}

/** The file rules that do not read the config: whether Airflow can read the file at all. */
export const CONFIG_FREE_FILE_RULES: readonly FileRule[] = [fileNotAnalysed, syntaxErrors, importErrors];

/**
 * Findings for one indexed DAG file (empty when the file is not indexed or was skipped).
 * `configFree`: only the rules that do not read the config (a caller that has no config it can trust).
 */
export function runRules(project: Project, file: string, opts: RunOptions & { configFree?: boolean } = {}): Finding[] {
  const facts = project.getFile(file);
  if (!facts) return [];
  return runFileRules(ruleContextOf(project), facts, { ...opts, severity: severityOverrides(project) });
}

/** Findings on the config file (schema, unused/shared tags, DB roles and drift) and on `.airflowignore` files. */
export function runConfigRules(project: Project, opts: RunOptions = {}): Finding[] {
  return runConfigRulesIn(ruleContextOf(project), { ...opts, severity: severityOverrides(project) });
}

/** `runRules` on a rule context (one built in memory, in tests) and the facts of one of its files. */
export function runFileRules(ctx: RuleContext, facts: FileFacts, opts: RunOptions & { configFree?: boolean; severity?: Record<string, SeverityOverride> } = {}): Finding[] {
  const out: Finding[] = [];
  for (const rule of opts.configFree ? CONFIG_FREE_FILE_RULES : FILE_RULES) {
    out.push(...finish(rule, runSafely(rule, () => rule.check({ ctx, facts }), opts.onError), opts.severity ?? {}));
  }
  return out;
}

/** `runConfigRules` on a rule context. */
export function runConfigRulesIn(ctx: RuleContext, opts: RunOptions & { severity?: Record<string, SeverityOverride> } = {}): Finding[] {
  const out: Finding[] = [];
  const configErrors = ctx.configProblems.some((p) => p.severity === 'error');
  for (const rule of CONFIG_RULES) {
    // While the config has errors, the others would point into its last valid text, not the one open,
    // or (no valid version yet) judge the part that survived the errors: only its problems are reported.
    // The ignore files do not depend on the config.
    if ((ctx.configStale || configErrors) && rule !== configProblems && rule !== invalidIgnorePattern) continue;
    out.push(...finish(rule, runSafely(rule, () => rule.check({ ctx }), opts.onError), opts.severity ?? {}));
  }
  return out;
}

/**
 * The rule plugin interface. A rule is a tiny pure module: it reads facts, the config and the
 * engine's access results, and returns findings without code or severity (the runner adds both from
 * the catalogue and the severity settings).
 */
import type { Finding, Severity } from '../model/findings';
import type { FileFacts } from '../model/facts';
import type { Project } from '../project/project';

/** A finding as a rule returns it; `code` defaults to the rule's, `severity` to the catalogue's. */
export type RuleFinding = Omit<Finding, 'code' | 'severity'> & { code?: string; severity?: Severity };

export interface FileRuleContext {
  project: Project;
  facts: FileFacts;
}

export interface ConfigRuleContext {
  project: Project;
}

export interface FileRule {
  code: string;
  scope: 'file';
  check(ctx: FileRuleContext): RuleFinding[];
}

export interface ConfigRule {
  code: string;
  scope: 'config';
  check(ctx: ConfigRuleContext): RuleFinding[];
}

export type Rule = FileRule | ConfigRule;

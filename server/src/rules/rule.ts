/**
 * The rule plugin interface. A rule is a tiny pure module: it reads facts, the config and the
 * engine's access results through a narrow read-only `RuleContext`, and returns findings without code
 * or severity (the runner adds both from the catalogue and the severity settings). The context is
 * built from a Project in one place (`ruleContextOf`, rules/ruleContext.ts); a test can build one in
 * memory, without a workspace on disk.
 */
import type { Finding, Severity } from '../model/findings';
import type { AccessConfig, ConfigProblem, RoleConfig } from '../model/config';
import type { DagAccess } from '../model/access';
import type { DagFact, FileFacts } from '../model/facts';
import type { TagResolver } from '../model/tagResolver';
import type { AlembicRelease } from '../db/alembicVersions';
import type { SyncPlan } from '../sync/types';
import type { AssetSide, DagRef } from '../project/dagTable';
import type { AssetFact, Range } from '../model/facts';

/** A finding as a rule returns it; `code` defaults to the rule's, `severity` to the catalogue's. */
export type RuleFinding = Omit<Finding, 'code' | 'severity'> & { code?: string; severity?: Severity };

/** Workspace-wide lookups (the project's table and index). */
export interface RuleWorkspace {
  dagsWithId(id: string): DagRef[];
  hasTag(tag: string): boolean;
  producersOf(key: string): AssetSide[];
  consumersOf(key: string): AssetSide[];
  assetsWithKey(key: string): { file: string; asset: AssetFact }[];
  /** Files importing `symbol` from `file`. */
  importersOf(file: string, symbol: string): string[];
  /** `.airflowignore` lines whose pattern does not compile, or a regexp with whitespace kept around it (indexer/airflowIgnore.ts). */
  ignoreProblems(): readonly { file: string; range: Range; message: string; kind: 'invalid' | 'whitespace' | 'bom' }[];
}

/** The metadata database as last read; every answer is null while none is connected. */
export interface RuleDb {
  roleNames(): ReadonlySet<string> | null;
  /** The plan a sync would make right now (tags from the database). */
  drift(): SyncPlan | null;
  airflowRelease(): AlembicRelease | null;
}

export interface RuleContext {
  /** The config in effect (its last valid version while the file has errors), or null. */
  readonly config: AccessConfig | null;
  readonly configFile: string | null;
  readonly configText: string | null;
  readonly configProblems: readonly ConfigProblem[];
  /** True while the config text has errors and `config` is its last valid version. */
  readonly configStale: boolean;
  /** Tag → role (model/tagResolver.ts), compiled from `config`. */
  readonly tags: TagResolver<RoleConfig>;
  /** Airflow version to assume (setting, config, database), null: the latest. */
  airflowVersion(): string | null;
  /** Facts of a workspace file (for imports and assets defined elsewhere). */
  fileFacts(file: string): FileFacts | undefined;
  /** The text `facts` were computed from, or null when it is not at hand (then no edit is offered). */
  sourceOf(facts: FileFacts): string | null;
  /** The DAG's effective access (engine/dagAccess.ts, with the database's grants when connected). */
  dagAccess(file: string, dag: DagFact): DagAccess | null;
  teamOf(file: string): string | null;
  readonly workspace: RuleWorkspace;
  readonly db: RuleDb;
}

export interface FileRuleContext {
  ctx: RuleContext;
  facts: FileFacts;
}

export interface ConfigRuleContext {
  ctx: RuleContext;
}

export interface FileRule {
  code: string;
  scope: 'file';
  check(input: FileRuleContext): RuleFinding[];
}

export interface ConfigRule {
  code: string;
  scope: 'config';
  check(input: ConfigRuleContext): RuleFinding[];
}

export type Rule = FileRule | ConfigRule;

/**
 * A RuleContext built in memory: the config text loaded, each Python text analysed as the indexer
 * does (size cap, safe mode), the workspace lookups from the project's DagTable, and the access engine
 * with the database answers a test gives. No workspace on disk, no Project. Cross-file imports are not
 * resolved (`importersOf` answers nothing): a test about them opens a workspace (helpers.ts).
 */
import type { Parser } from 'web-tree-sitter';
import { loadConfigText } from '../../../server/src/config/load';
import { computeDagAccess } from '../../../server/src/engine/dagAccess';
import { teamOfFile } from '../../../server/src/engine/teams';
import { analyseText, lineBreaksAsPython } from '../../../server/src/indexer/analyseFile';
import { forgetNodeAnswers } from '../../../server/src/indexer/nodeMemo';
import type { FileFacts } from '../../../server/src/model/facts';
import type { Finding } from '../../../server/src/model/findings';
import { tagResolverOf } from '../../../server/src/model/tagResolver';
import { createPythonParser } from '../../../server/src/parsing/treeSitter';
import { DagTable } from '../../../server/src/project/dagTable';
import { accessUnlessNotImported } from '../../../server/src/project/importFailure';
import { runConfigRulesIn, runFileRules, type SeverityOverride } from '../../../server/src/rules';
import type { RuleContext, RuleDb } from '../../../server/src/rules/rule';
import { parseSettings } from '../../../server/src/settings';
import { CONFIG } from './helpers';

const ROOT = '/mem';
let parser: Promise<Parser> | undefined;

export interface MemoryWorkspace {
  ctx: RuleContext;
  facts(rel: string): FileFacts | undefined;
  file(rel: string): string;
}

/**
 * `files`: relative path → text (`airflow-access.yaml` replaces the default CONFIG; null: no config).
 * `settings`: as the editor sends them (safeMode, airflowVersion, diagnostics.severity).
 */
export async function memoryWorkspace(files: Record<string, string | null>, settings: unknown = { safeMode: false }, db: Partial<RuleDb> = {}): Promise<MemoryWorkspace & { severity: Record<string, SeverityOverride> }> {
  const s = parseSettings(settings).settings;
  parser ??= createPythonParser();
  const p = await parser;
  const abs = (rel: string) => `${ROOT}/${rel}`;
  const texts = new Map<string, string>();
  const all: FileFacts[] = [];
  for (const [rel, text] of Object.entries(files)) {
    if (!rel.endsWith('.py') || text === null) continue;
    const { facts, tree } = analyseText(p, abs(rel), text, 1, { safeMode: s.safeMode });
    tree?.delete();
    forgetNodeAnswers();
    texts.set(abs(rel), lineBreaksAsPython(text));
    all.push(facts);
  }
  const configText = 'airflow-access.yaml' in files ? files['airflow-access.yaml'] : CONFIG;
  const loaded = configText === null ? { config: null, problems: [] } : loadConfigText(abs('airflow-access.yaml'), configText);
  const config = loaded.config;
  const table = new DagTable();
  table.reset(all);
  const byFile = new Map(all.map((f) => [f.file, f]));
  const rdb: RuleDb = { roleNames: () => null, drift: () => null, airflowRelease: () => null, ...db };
  // As Project.airflowVersion: the setting, else the config's, else the database's.
  const airflowVersion = () => s.airflowVersion ?? config?.airflow.version ?? rdb.airflowRelease()?.version ?? null;
  const ctx: RuleContext = {
    config,
    configFile: configText === null ? null : abs('airflow-access.yaml'),
    configText,
    configProblems: loaded.problems,
    configStale: false,
    tags: tagResolverOf(config),
    airflowVersion,
    fileFacts: (file) => byFile.get(file),
    sourceOf: (facts) => (texts.get(facts.file) ?? null),
    dagAccess: (file, dag) => accessUnlessNotImported(computeDagAccess({ dag, file, config, existingRoles: rdb.roleNames(), airflowVersion: airflowVersion() }), byFile.get(file)),
    teamOf: (file) => teamOfFile(config, ROOT, file),
    workspace: {
      dagsWithId: (id) => table.dagsWithId(id),
      hasTag: (tag) => table.hasTag(tag),
      producersOf: (key) => table.producersOf(key),
      consumersOf: (key) => table.consumersOf(key),
      assetsWithKey: (key) => table.assetsWithKey(key),
      importersOf: () => [],
      ignoreProblems: () => [],
    },
    db: rdb,
  };
  const severity = (s.diagnostics?.severity ?? {}) as Record<string, SeverityOverride>;
  return { ctx, facts: (rel) => byFile.get(abs(rel)), file: abs, severity };
}

/** helpers.ts `findings`, in memory: the findings of one file (or of the config, for a .yaml path). */
export async function memFindings(files: Record<string, string | null>, rel = 'dags/d.py', code?: string, settings?: unknown, db?: Partial<RuleDb>): Promise<Finding[]> {
  const ws = await memoryWorkspace(files, settings, db);
  let out: Finding[];
  if (rel.endsWith('.yaml')) out = runConfigRulesIn(ws.ctx, { severity: ws.severity });
  else {
    const facts = ws.facts(rel);
    out = facts ? runFileRules(ws.ctx, facts, { severity: ws.severity }) : [];
  }
  return code ? out.filter((f) => f.code === code) : out;
}

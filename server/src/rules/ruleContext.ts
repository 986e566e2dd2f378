/** The rules' read-only view of a Project, built in this one place (rules/rule.ts `RuleContext`). */
import type { Project } from '../project/project';
import { tagResolverOf } from '../model/tagResolver';
import type { RuleContext } from './rule';
import { sourceOf } from './pySource';
import { ASSUMED_SYNTAX_NOTE } from '../model/ignoreSyntax';

export function ruleContextOf(project: Project): RuleContext {
  const config = project.config;
  return {
    config,
    configFile: project.configFile,
    configText: project.configText,
    configProblems: project.configProblems,
    configStale: project.configStale,
    tags: tagResolverOf(config),
    airflowVersion: () => project.airflowVersion(),
    fileFacts: (file) => project.getFile(file),
    sourceOf: (facts) => sourceOf(project, facts),
    dagAccess: (file, dag) => project.dagAccess(file, dag),
    teamOf: (file) => project.teamOf(file),
    workspace: {
      dagsWithId: (id) => project.table.dagsWithId(id),
      hasTag: (tag) => project.table.hasTag(tag),
      producersOf: (key) => project.table.producersOf(key),
      consumersOf: (key) => project.table.consumersOf(key),
      assetsWithKey: (key) => project.table.assetsWithKey(key),
      importersOf: (file, symbol) => project.index.importersOf(file, symbol),
      ignoreProblems: () => {
        // With the syntax assumed (no Airflow version), say how to choose it where a line does not compile.
        const problems = project.index.ignoreProblems;
        return project.ignoreSyntax().source === 'assumed' ? problems.map((p) => (p.kind === 'invalid' ? { ...p, message: `${p.message}; ${ASSUMED_SYNTAX_NOTE}` } : p)) : problems;
      },
    },
    db: {
      roleNames: () => project.db.roleNames(),
      drift: () => project.db.drift(),
      airflowRelease: () => project.db.airflowRelease(),
    },
  };
}

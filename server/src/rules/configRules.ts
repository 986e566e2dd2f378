/**
 * Rules on the role-mapping config: loader problems (ADA090 errors, ADA091 warnings, ADA022 bad
 * permission names), ADA018 multi_team without teams, ADA020 unused tags, ADA021 shared tags.
 */
import type { ConfigRule, RuleFinding } from './rule';
import { underFab } from './authManagerRules';

export const configProblems: ConfigRule = {
  code: 'ADA090',
  scope: 'config',
  check({ ctx }) {
    const file = ctx.configFile;
    if (!file) return [];
    return ctx.configProblems.map((p): RuleFinding => ({
      code: configProblemCode(p.code, p.severity),
      file,
      range: p.range,
      message: p.message,
      severity: p.severity === 'info' ? 'info' : p.severity,
      // Every "did you mean" comes with its fix.
      ...(p.replacement ? { fixes: [{ title: `Replace with '${p.replacement}'`, kind: 'quickfix' as const, isPreferred: true, edits: [{ file, range: p.range, newText: p.replacement }] }] } : {}),
    }));
  },
};

/** Maps a loader problem code to a catalogue code. */
export function configProblemCode(loaderCode: string, severity: string): string {
  if (loaderCode === 'bad-permission') return 'ADA022';
  return severity === 'error' ? 'ADA090' : 'ADA091';
}

export const multiTeamWithoutTeams: ConfigRule = {
  code: 'ADA018',
  scope: 'config',
  check({ ctx }) {
    const c = ctx.config;
    if (!c || !c.airflow.multiTeam || c.teams.length) return [];
    return [{
      file: c.file,
      range: c.roles[0]?.nameRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: 'airflow.multi_team is true but the config has no teams: map, so the editor cannot tell which team owns a DAG and cannot check asset events. Add teams: {<team>: {paths: ["dags/<team>/**"]}}.',
    }];
  },
};

export const unusedConfigTag: ConfigRule = {
  code: 'ADA020',
  scope: 'config',
  check({ ctx }) {
    const c = ctx.config;
    // Under another auth manager no tag grants anything (ADA031 says so on each DAG's access tags):
    // "unused here" would point at the wrong problem.
    if (!c || !underFab(ctx)) return [];
    const out: RuleFinding[] = [];
    for (const role of c.roles) {
      for (const tag of role.tags) {
        if (ctx.workspace.hasTag(tag.value)) continue;
        out.push({ file: c.file, range: tag.range, message: `No DAG in this workspace has the tag '${tag.value}', so role '${role.name}' gets nothing from it here.` });
      }
    }
    return out;
  },
};

/** Other roles named by one ADA021 finding. */
const SHOWN_ROLES = 5;

export const sharedConfigTag: ConfigRule = {
  code: 'ADA021',
  scope: 'config',
  check({ ctx }) {
    const c = ctx.config;
    if (!c) return [];
    const out: RuleFinding[] = [];
    for (const tag of ctx.tags.exactTags()) {
      const roles = ctx.tags.exactRoles(tag);
      if (roles.length < 2) continue;
      // Linear in the roles sharing the tag: each finding names at most SHOWN_ROLES others and counts the rest.
      const tagAt = roles.map((r) => r.tags.find((t) => t.value === tag)!);
      roles.forEach((role, i) => {
        const shown = roles.slice(0, SHOWN_ROLES + 1).map((r, j) => ({ r, j })).filter((x) => x.j !== i).slice(0, SHOWN_ROLES);
        const rest = roles.length - 1 - shown.length;
        out.push({
          file: c.file,
          range: tagAt[i].range,
          message: `Tag '${tag}' also grants ${shown.map((x) => `'${x.r.name}'`).join(', ')}${rest > 0 ? ` and ${rest} more role${rest === 1 ? '' : 's'}` : ''}.`,
          related: shown.map((x) => ({ file: c.file, range: tagAt[x.j].range, message: `'${tag}' in role '${x.r.name}'` })),
        });
      });
    }
    return out;
  },
};

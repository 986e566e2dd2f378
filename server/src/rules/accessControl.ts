/**
 * Rules on a DAG's `access_control=` mapping: ADA004 unknown role, ADA005 invalid action or resource,
 * ADA006 deprecated action names, ADA007 nested form before Airflow 2.10. Each of them, except ADA006
 * on Airflow 2, makes Airflow's permission sync raise, so the DAG fails to import: severity error
 * (see engine/accessControl for the Airflow sources).
 */
import { closestMatch } from '../config/didYouMean';
import { existingRoles, resourceActionsAt, unknownRoleMessage } from '../engine/accessControl';
import { versionAtLeast } from '../engine/version';
import type { AccessControlFact, AccessControlRoleFact, FileFacts, Range } from '../model/facts';
import type { Fix } from '../model/findings';
import type { RuleContext } from './rule';
import { DAG_RESOURCE_ACTIONS, DEPRECATED_ACTIONS, innerRange } from './helpers';
import type { FileRule, RuleFinding } from './rule';

/** Where to report something of an access_control value: in place, or at its use when imported. */
function siteOf(ac: AccessControlFact, file: string, keywordRange: Range) {
  const imported = !!ac.via && ac.via.file !== file;
  return {
    imported,
    literalFile: imported ? ac.via!.file : file,
    at: (r: Range) => (imported ? (ac.via!.refRange ?? keywordRange) : r),
  };
}

type Site = ReturnType<typeof siteOf>;

/** Every role entry of every dict-valued access_control in the file, with where to report it. */
function* roleEntries(facts: FileFacts): Generator<{ site: Site; role: AccessControlRoleFact }> {
  for (const dag of facts.dags) {
    const ac = dag.accessControl;
    if (!ac || ac.kind !== 'dict') continue;
    const site = siteOf(ac, facts.file, ac.keywordRange);
    for (const role of ac.roles) yield { site, role };
  }
}

/** A preferred quick fix that replaces a string literal's content (in the file that holds the literal). */
function replaceFix(site: Site, range: Range, newText: string, title = `Replace with '${newText}'`): Fix[] {
  return [{ title, kind: 'quickfix', isPreferred: true, edits: [{ file: site.literalFile, range: innerRange(range), newText }] }];
}

export const unknownRole: FileRule = {
  code: 'ADA004',
  scope: 'file',
  check({ ctx, facts }) {
    // The engine's notion of the roles that exist and its sentence for the conflict (engine/accessControl.ts).
    const existing = existingRoles(ctx.db.roleNames(), ctx.config);
    if (!existing) return [];
    const out: RuleFinding[] = [];
    for (const { site, role } of roleEntries(facts)) {
      if (existing.names.has(role.role.value)) continue;
      const suggestion = closestMatch(role.role.value, existing.names);
      out.push({
        file: facts.file,
        range: site.at(role.role.range),
        message: `${unknownRoleMessage(role.role.value, existing)}${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
        fixes: suggestion ? replaceFix(site, role.role.range, suggestion) : [],
      });
    }
    return out;
  },
};

export const invalidAction: FileRule = {
  code: 'ADA005',
  scope: 'file',
  check({ ctx, facts }) {
    const out: RuleFinding[] = [];
    const version = ctx.airflowVersion();
    for (const { site, role } of roleEntries(facts)) {
      for (const res of role.resources) {
        const resource = res.resource?.value ?? 'DAGs';
        const valid = resource === 'DAGs' || resource === 'DAG Runs' ? resourceActionsAt(resource, version) : null;
        if (!valid) {
          out.push({
            file: facts.file,
            range: site.at(res.resource!.range),
            message: `'${resource}' is not a DAG-level resource; use 'DAGs' or 'DAG Runs'.${suffix(resource, Object.keys(DAG_RESOURCE_ACTIONS))}`,
          });
          continue;
        }
        for (const action of res.actions) {
          if (valid.includes(action.value) || action.value in DEPRECATED_ACTIONS) continue;
          const suggestion = closestMatch(action.value, valid);
          const since = resource === 'DAGs' && action.value === 'can_delete' ? ` Per-DAG can_delete exists from Airflow 2.3; airflow.version is ${version}.` : '';
          out.push({
            file: facts.file,
            range: site.at(action.range),
            message: `'${action.value}' is not a valid action on ${resource} for role '${role.role.value}'; valid: ${valid.join(', ')}. Airflow's sync rejects it and the DAG fails to import.${since}${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
            fixes: suggestion ? replaceFix(site, action.range, suggestion) : [],
          });
        }
      }
    }
    return out;
  },
};

function suffix(word: string, candidates: string[]): string {
  const m = closestMatch(word, candidates);
  return m ? ` Did you mean '${m}'?` : '';
}

export const deprecatedAction: FileRule = {
  code: 'ADA006',
  scope: 'file',
  check({ ctx, facts }) {
    const out: RuleFinding[] = [];
    // Airflow 3 no longer maps them (apache/airflow#41774): invalid permissions, an import error.
    const rejected = versionAtLeast(ctx.airflowVersion(), '3.0');
    for (const { site, role } of roleEntries(facts)) {
      for (const action of role.resources.flatMap((r) => r.actions)) {
        const replacement = DEPRECATED_ACTIONS[action.value];
        if (!replacement) continue;
        out.push({
          file: facts.file,
          range: site.at(action.range),
          message: rejected
            ? `'${action.value}' is an Airflow 1.10 name that Airflow 3 rejects as an invalid permission: the DAG fails to import. Use '${replacement}'.`
            : `'${action.value}' is deprecated (Airflow 1.10 name): Airflow 2 maps it to '${replacement}' with a warning and Airflow 3 rejects it. Use '${replacement}'.`,
          ...(rejected ? { severity: 'error' as const } : { severity: 'warning' as const }),
          tags: ['deprecated'],
          fixes: replaceFix(site, action.range, replacement, `Replace '${action.value}' with '${replacement}'`),
        });
      }
    }
    return out;
  },
};

export const nestedAccessControl: FileRule = {
  code: 'ADA007',
  scope: 'file',
  check({ ctx, facts }) {
    const version = ctx.airflowVersion();
    if (versionAtLeast(version, '2.10')) return [];
    const out: RuleFinding[] = [];
    for (const { site, role } of roleEntries(facts)) {
      if (role.form !== 'nested') continue;
      out.push({
        file: facts.file,
        range: site.at(role.range),
        message: `The nested access_control form ({"${role.role.value}": {"DAGs": ...}}) needs Airflow 2.10+ with FAB provider 1.3+; on Airflow ${version} "DAGs" / "DAG Runs" become invalid permission names and the DAG fails to import. Use {"${role.role.value}": {"can_read", ...}}.`,
      });
    }
    return out;
  },
};

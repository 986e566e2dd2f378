/** zod issues -> ConfigProblems located at the exact source node (the key, for unknown keys). */
import type { z } from 'zod';
import type { Range } from '../model/facts';
import type { ConfigProblem } from '../model/config';
import { closestMatch, didYouMeanSuffix } from './didYouMean';
import { describeValue, entryOf, locatePath, type LocatedValue } from './locatedValue';
import { knownKeys, ROLE_NAME_MAX, SEED_MAPPING_KEYS, TAG_MAX } from './schema';

/** Schema path of a data path: record keys (role / team names, list indexes) become `*`. */
export function schemaPathOf(path: readonly PropertyKey[]): string {
  const out: string[] = [];
  path.forEach((seg, i) => {
    const parent = out[i - 1];
    if (typeof seg === 'number' || parent === 'roles' || parent === 'teams' || parent === 'role_mappings' || (out[0] === 'role_mappings' && i === 2 && !SEED_MAPPING_KEYS.includes(String(seg)))) out.push('*');
    else out.push(String(seg));
  });
  return out.join('.');
}

const valueLabels: Record<string, string> = {
  'roles.*.dag_permissions.*': 'a DAG permission',
  'roles.*.dag_run_permissions.*': 'a DAG Run permission',
  'role_mappings.*.*.permissions.*': 'a DAG permission',
  'role_mappings.*.permissions.*': 'a DAG permission',
  'airflow.auth_manager': 'an auth manager',
  'airflow.dag_ignore_file_syntax': 'an .airflowignore syntax',
};

export function issuesToProblems(issues: readonly z.core.$ZodIssue[], root: LocatedValue, fallback: Range): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) out.push(...issueToProblems(issue, root, fallback));
  return out;
}

function issueToProblems(issue: z.core.$ZodIssue, root: LocatedValue, fallback: Range): ConfigProblem[] {
  const target = locatePath(root, issue.path);
  const complete = target.depth === issue.path.length;
  const nodeRange = target.depth === 0 && root.kind !== 'map' ? root.range : target.node.range;
  const keyRange = target.entry?.keyRange ?? (target.depth === 0 ? fallback : nodeRange);
  const err = (code: string, message: string, range: Range, replacement?: string | null): ConfigProblem =>
    replacement ? { code, message, range, severity: 'error', replacement } : { code, message, range, severity: 'error' };
  const where = issue.path.length ? ` at '${issue.path.join('.')}'` : '';

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = knownKeys[schemaPathOf(issue.path)] ?? [];
      return issue.keys.map((k) => {
        const e = entryOf(target.node, k);
        const hint = didYouMeanSuffix(k, allowed) || (allowed.length ? ` Allowed keys: ${allowed.join(', ')}.` : '');
        return err('unknown-key', `Unknown key '${k}'${where}.${hint}`, e?.keyRange ?? nodeRange, e?.keyRange ? closestMatch(k, allowed) : null);
      });
    }
    case 'invalid_key': {
      const key = String(issue.path[issue.path.length - 1]);
      const what = issue.path[0] === 'roles' ? 'Role name' : 'Name';
      const tooLong = issue.issues.some((i) => i.code === 'too_big');
      const msg = tooLong
        ? `${what} '${key}' is ${key.length} characters; Airflow role names are at most ${ROLE_NAME_MAX} (ab_role.name).`
        : `${what} '${key}' is not valid: ${issue.issues.map((i) => i.message).join('; ')}`;
      return [err('invalid-name', msg, keyRange)];
    }
    case 'invalid_value': {
      const label = valueLabels[schemaPathOf(issue.path)];
      const got = target.node.kind === 'scalar' ? String(target.node.value) : describeValue(target.node);
      const allowed = issue.values.map((v) => String(v));
      const hint = target.node.kind === 'scalar' && typeof target.node.value === 'string' ? didYouMeanSuffix(got, allowed) : '';
      const isPermission = label?.includes('permission');
      const msg = label
        ? `'${got}' is not ${label}. Valid: ${allowed.join(', ')}.${hint}`
        : `Invalid value ${describeValue(target.node)}${where}: expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}.${hint}`;
      return [err(isPermission ? 'bad-permission' : 'invalid-value', msg, nodeRange, hint ? closestMatch(got, allowed) : null)];
    }
    case 'invalid_type': {
      if (!complete) {
        const missing = String(issue.path[issue.path.length - 1]);
        return [err('missing-key', `Missing required key '${missing}' (${issue.expected}).`, keyRange)];
      }
      return [err('wrong-type', `Expected ${article(issue.expected)}${where}, got ${describeValue(target.node)}.`, nodeRange)];
    }
    case 'too_big':
    case 'too_small': {
      const isTag = /(^|\.)tags\.\*$|airflow_edit_tag$/.test(schemaPathOf(issue.path));
      if (isTag && issue.code === 'too_big' && target.node.kind === 'scalar') {
        const len = String(target.node.value).length;
        return [err('tag-too-long', `Tag is ${len} characters; Airflow tags are at most ${TAG_MAX} (dag_tag.name).`, nodeRange)];
      }
      if (issue.code === 'too_small' && issue.origin === 'string') return [err('empty-value', `Empty string${where}.`, nodeRange)];
      return [err('invalid-value', `${issue.message}${where}.`, nodeRange)];
    }
    case 'invalid_format':
      return [err('invalid-value', `Invalid value ${describeValue(target.node)}${where}: ${issue.message}.`, nodeRange)];
    case 'custom':
      return [err(String(issue.params?.code ?? 'invalid-value'), issue.message, nodeRange)];
    default:
      return [err('invalid-value', `${issue.message}${where}.`, complete ? nodeRange : keyRange)];
  }
}

function article(expected: string): string {
  const names: Record<string, string> = { array: 'a list', object: 'a mapping', record: 'a mapping', string: 'a string', boolean: 'true or false', number: 'a number' };
  return names[expected] ?? expected;
}

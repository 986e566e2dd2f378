/**
 * The two entry shapes of the seed's `role_mappings` list, and the error for anything else:
 * nested `{<label>: {airflow_role: ..., ...}}` (the seed DAG's own) and flat `{airflow_role: ..., ...}`.
 */
import type { Range } from '../model/facts';
import type { ConfigProblem } from '../model/config';
import { describeValue, locatePath, type LocatedValue } from './locatedValue';
import { SEED_MAPPING_KEYS } from './schema';

export type SeedEntryShape =
  | { kind: 'nested'; label: string; body: unknown }
  | { kind: 'flat'; body: Record<string, unknown> }
  | { kind: 'bad' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function seedEntryShape(raw: unknown): SeedEntryShape {
  if (!isObject(raw)) return { kind: 'bad' };
  const keys = Object.keys(raw);
  if (keys.length === 1 && isObject(raw[keys[0]])) return { kind: 'nested', label: keys[0], body: raw[keys[0]] };
  if (keys.some((k) => SEED_MAPPING_KEYS.includes(k))) return { kind: 'flat', body: raw };
  return { kind: 'bad' };
}

/** Two-line examples of both shapes, in the syntax of the file the list is in. */
export function acceptedShapes(format: 'seed-yaml' | 'seed-python'): string {
  const [nested, flat] =
    format === 'seed-python'
      ? [
          ['{"sales": {"airflow_role": "sales_team", "airflow_edit_tag": "sales_edit",', '           "permissions": ["can_read"], "do_cleanup": True}},'],
          ['{"airflow_role": "sales_team", "airflow_edit_tag": "sales_edit",', ' "permissions": ["can_read"], "do_cleanup": True},'],
        ]
      : [
          ['- sales: {airflow_role: sales_team, airflow_edit_tag: sales_edit,', '          permissions: [can_read], do_cleanup: true}'],
          ['- {airflow_role: sales_team, airflow_edit_tag: sales_edit,', '   permissions: [can_read], do_cleanup: true}'],
        ];
  return ['  nested (a label, then the mapping):', ...nested.map((l) => `    ${l}`), '  flat (the mapping itself):', ...flat.map((l) => `    ${l}`)].join('\n');
}

export function shapeProblem(root: LocatedValue, index: number, format: 'seed-yaml' | 'seed-python', fallback: Range): ConfigProblem {
  const at = locatePath(root, ['role_mappings', index]);
  const range = at.depth === 2 ? at.node.range : fallback;
  const node = at.depth === 2 ? at.node : undefined;
  const got = node?.kind === 'map' ? `a mapping with the keys ${node.entries.map((e) => e.key).join(', ') || '(none)'}` : describeValue(node);
  return {
    code: 'seed-entry-shape',
    severity: 'error',
    range,
    message: `role_mappings entry ${index + 1} is ${got}; each entry must have one of two shapes:\n${acceptedShapes(format)}`,
  };
}

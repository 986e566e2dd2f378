/**
 * LocatedValue -> AccessConfig for both formats: zod validation, located problems, and a lenient
 * second pass that drops only the broken parts (a bad role, a bad team, a bad top-level key) so the
 * rest of the config keeps working while the user fixes it.
 */
import type { Range } from '../model/facts';
import type { AccessConfig, ConfigLoadResult, ConfigProblem } from '../model/config';
import { entryOf, toPlain, type LocatedValue } from './locatedValue';
import { normalizeSeed, type SeedEntry } from './normalizeSeed';
import { seedEntryShape, shapeProblem } from './seedShape';
import { normalizeV1 } from './normalizeV1';
import { configSchemaV1, seedMappingSchema, seedSchema } from './schema';
import { issuesToProblems } from './zodIssues';

/** Does this value look like the seed format (a `role_mappings` list, bare or under that key)? */
export function isSeedShape(root: LocatedValue): boolean {
  return root.kind === 'seq' || (root.kind === 'map' && !!entryOf(root, 'role_mappings') && !entryOf(root, 'roles'));
}

/** Wrap a bare seed list as `{role_mappings: [...]}` so paths are the same for both spellings. */
export function asSeedRoot(root: LocatedValue): LocatedValue {
  if (root.kind !== 'seq') return root;
  return { kind: 'map', range: root.range, entries: [{ key: 'role_mappings', keyRange: root.range, range: root.range, value: root }] };
}

export function validateV1(file: string, root: LocatedValue, fallback: Range): ConfigLoadResult {
  fixUnquotedVersion(root);
  const warnings = versionWarnings(root);
  const plain = toPlain(root) ?? {};
  const first = configSchemaV1.safeParse(plain);
  if (first.success) {
    const { config, problems } = normalizeV1(file, first.data, root, fallback);
    return { config, problems: [...warnings, ...problems] };
  }
  const problems = [...warnings, ...issuesToProblems(first.error.issues, root, fallback)];
  let config: AccessConfig | null = null;
  if (plain && typeof plain === 'object' && !Array.isArray(plain)) {
    const pruned = structuredClone(plain) as Record<string, unknown>;
    for (const issue of first.error.issues) prune(pruned, issue.path, issue.code === 'unrecognized_keys' ? issue.keys : []);
    const second = configSchemaV1.safeParse(pruned);
    if (second.success) config = normalizeV1(file, second.data, root, fallback).config;
  }
  return { config, problems };
}

function prune(data: Record<string, unknown>, path: readonly PropertyKey[], keys: string[]): void {
  const [head, second] = path.map(String);
  if (head === undefined) {
    for (const k of keys) delete data[k];
    return;
  }
  const section = data[head];
  if ((head === 'roles' || head === 'teams') && second !== undefined && section && typeof section === 'object') {
    delete (section as Record<string, unknown>)[second];
  } else {
    delete data[head];
  }
}

export function validateSeed(file: string, format: 'seed-yaml' | 'seed-python', rawRoot: LocatedValue, fallback: Range): ConfigLoadResult {
  const root = asSeedRoot(rawRoot);
  const top = seedSchema.safeParse(toPlain(root));
  if (!top.success) return { config: null, problems: issuesToProblems(top.error.issues, root, fallback) };
  // Each entry on its own: a broken entry is reported and left out, the others keep working.
  const problems: ConfigProblem[] = [];
  const entries: SeedEntry[] = [];
  top.data.role_mappings.forEach((raw, i) => {
    const shape = seedEntryShape(raw);
    if (shape.kind === 'bad') {
      problems.push(shapeProblem(root, i, format, fallback));
      return;
    }
    const at = shape.kind === 'flat' ? ['role_mappings', i] : ['role_mappings', i, shape.label];
    const r = seedMappingSchema.safeParse(shape.body);
    if (r.success) entries.push({ at, mapping: r.data });
    else problems.push(...issuesToProblems(r.error.issues.map((issue) => ({ ...issue, path: [...at, ...issue.path] })), root, fallback));
  });
  const result = normalizeSeed(file, format, entries, root, fallback);
  // "role_mappings is empty" only when it is: not when every entry was broken (those are reported already).
  const normalized = problems.length ? result.problems.filter((p) => p.code !== 'seed-empty') : result.problems;
  return { config: result.config, problems: [...problems, ...normalized] };
}

/** YAML reads `version: 2.10` as the number 2.1: keep what was written, and say so. */
function fixUnquotedVersion(root: LocatedValue): void {
  const v = entryOf(entryOf(root, 'airflow')?.value, 'version')?.value;
  if (v?.kind === 'scalar' && typeof v.value === 'number') v.value = (v.raw ?? String(v.value)).trim();
}

function versionWarnings(root: LocatedValue): ConfigProblem[] {
  const v = entryOf(entryOf(root, 'airflow')?.value, 'version')?.value;
  if (v?.kind !== 'scalar' || v.raw === undefined || /^["']/.test(v.raw) || typeof v.value !== 'string') return [];
  if (!/^\d+\.\d+/.test(v.raw)) return [];
  return [{ code: 'unquoted-version', severity: 'warning', range: v.range,
    message: `Quote the version ("${v.value}"): YAML reads an unquoted ${v.raw} as a number (2.10 becomes 2.1).` }];
}

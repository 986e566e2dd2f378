/** YAML text -> LocatedValue, with syntax errors and duplicate keys as located problems. */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import type { ConfigProblem } from '../model/config';
import type { LocatedEntry, LocatedValue } from './locatedValue';
import { TextPositions } from './textPositions';

export interface YamlSource {
  root: LocatedValue | null;
  problems: ConfigProblem[];
  positions: TextPositions;
}

export function readYaml(text: string): YamlSource {
  const positions = new TextPositions(text);
  const problems: ConfigProblem[] = [];
  let doc: Document.Parsed;
  try {
    // Duplicate keys are found in toLocated with a Set per mapping: yaml's own uniqueKeys check compares
    // each key with every earlier one (quadratic: 1.2 s of a 10,000-role config).
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  } catch (e) {
    problems.push({ code: 'yaml-syntax', message: `Cannot parse YAML: ${String(e)}`, range: positions.firstLine(), severity: 'error' });
    return { root: null, problems, positions };
  }
  for (const err of doc.errors) {
    const code = err.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax';
    const message = err.code === 'DUPLICATE_KEY' ? 'Duplicate key: YAML keys must be unique in a mapping.' : `YAML syntax error: ${firstLine(err.message)}`;
    problems.push({ code, message, range: positions.range(err.pos[0], err.pos[1]), severity: 'error' });
  }
  for (const w of doc.warnings) {
    problems.push({ code: 'yaml-warning', message: firstLine(w.message), range: positions.range(w.pos[0], w.pos[1]), severity: 'warning' });
  }
  if (problems.some((p) => p.severity === 'error' && p.code === 'yaml-syntax')) return { root: null, problems, positions };
  const walk: Walk = { doc, text, positions, anchors: anchorsOf(doc), budget: MAX_ALIASED, exhausted: false, problems, duplicatesAt: new Set() };
  const root = doc.contents ? toLocated(doc.contents, walk, 0) : null;
  if (walk.exhausted) {
    // Aliases can multiply a tiny file into millions of values ("billion laughs"): refuse, don't hang.
    const message = `The config's YAML aliases expand to more than ${MAX_ALIASED} values; it is not read.`;
    problems.push({ code: 'yaml-aliases', message, range: positions.firstLine(), severity: 'error' });
    return { root: null, problems, positions };
  }
  return { root, problems, positions };
}

/**
 * Upper bound on values produced by expanding aliases (`*name`), counted only inside aliases: values
 * written out in the file cost their own bytes, so a 40,000-role config without aliases is read
 * whatever its size, while a "billion laughs" of a few lines is refused. Real configs use a few aliases.
 */
const MAX_ALIASED = 200_000;

interface Walk {
  doc: Document.Parsed;
  text: string;
  positions: TextPositions;
  /** Anchor name -> node, collected once (alias.resolve() would visit the whole document each time). */
  anchors: Map<string, Node>;
  /** Values still allowed through aliases. */
  budget: number;
  exhausted: boolean;
  problems: ConfigProblem[];
  /** Offsets of duplicate keys already reported (a mapping reached again through an alias is not reported twice). */
  duplicatesAt: Set<number>;
}

function anchorsOf(doc: Document.Parsed): Map<string, Node> {
  const anchors = new Map<string, Node>();
  visit(doc, (_key, node) => {
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor && !isAlias(node)) anchors.set(anchor, node as Node);
  });
  return anchors;
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

function rangeOf(node: Node | null | undefined, positions: TextPositions) {
  const r = node?.range;
  return r ? positions.range(r[0], r[1]) : positions.range(0, 0);
}

/** `aliased`: the node is reached through an alias (its values count against the budget). */
function toLocated(node: unknown, walk: Walk, depth: number, aliased = false): LocatedValue {
  const { text, positions } = walk;
  if (walk.exhausted || (aliased && --walk.budget < 0)) {
    walk.exhausted = true;
    return { kind: 'scalar', value: null, range: positions.range(0, 0) };
  }
  // Aliases resolve to their anchor's value (depth cap guards against recursive anchors).
  if (isAlias(node)) {
    const target = depth < 50 ? walk.anchors.get(node.source) : undefined;
    const located = target ? toLocated(target, walk, depth + 1, true) : null;
    const range = rangeOf(node, positions);
    // An alias naming no anchor is an error in YAML (the yaml package only notices it in toJS()).
    if (!walk.anchors.has(node.source)) walk.problems.push({ code: 'yaml-syntax', message: `YAML error: alias *${node.source} names no anchor &${node.source}.`, range, severity: 'error' });
    return located ? { ...located, range } : { kind: 'scalar', value: null, range };
  }
  if (isMap(node)) {
    const entries: LocatedEntry[] = [];
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : keyNode ? text.slice(keyNode.range?.[0] ?? 0, keyNode.range?.[1] ?? 0) : '';
      const keyRange = rangeOf(keyNode, positions);
      // Same rule as YAML's: scalar keys with the same value (1 and "1" differ).
      const identity = isScalar(keyNode) ? (typeof keyNode.value === 'string' ? `s:${keyNode.value}` : keyNode.value) : keyNode;
      if (seen.has(identity)) {
        const at = keyNode?.range?.[0] ?? -1;
        if (!walk.duplicatesAt.has(at)) {
          walk.duplicatesAt.add(at);
          walk.problems.push({ code: 'duplicate-key', message: 'Duplicate key: YAML keys must be unique in a mapping.', range: keyRange, severity: 'error' });
        }
      } else seen.add(identity);
      const value: LocatedValue = pair.value
        ? toLocated(pair.value, walk, depth + 1, aliased)
        : { kind: 'scalar', value: null, range: { start: keyRange.end, end: keyRange.end } };
      entries.push({ key, keyRange, range: { start: keyRange.start, end: value.range.end }, value });
    }
    return { kind: 'map', range: rangeOf(node, positions), entries };
  }
  if (isSeq(node)) {
    return { kind: 'seq', range: rangeOf(node, positions), items: node.items.map((i) => toLocated(i, walk, depth + 1, aliased)) };
  }
  if (isScalar(node)) {
    const v = node.value;
    const value = v === null || v === undefined ? null : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
    const r = node.range;
    return { kind: 'scalar', value, range: rangeOf(node, positions), raw: r ? text.slice(r[0], r[1]) : undefined };
  }
  return { kind: 'scalar', value: null, range: positions.range(0, 0) };
}

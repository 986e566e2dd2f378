/**
 * Reads the `role_mappings = [...]` literal straight out of an MWAA-style sync DAG file with
 * tree-sitter. Dicts, lists, tuples, strings, booleans, numbers and None are read; a name that
 * refers to a module-level string constant (or `Class.NAME` of a module-level class) is resolved;
 * anything else is a located problem, never a guess.
 */
import type { Node, Parser } from 'web-tree-sitter';
import type { ConfigLoadResult, ConfigProblem } from '../model/config';
import { parseWithDeadline } from '../parsing/treeSitter';
import type { LocatedEntry, LocatedValue } from './locatedValue';
import { TextPositions } from './textPositions';
import { validateSeed } from './validate';

export const SEED_VARIABLE = 'role_mappings';

export function loadSeedPythonText(file: string, text: string, parser: Parser): ConfigLoadResult {
  const positions = new TextPositions(text);
  const tree = parseWithDeadline(parser, text);
  if (!tree) {
    return { config: null, problems: [{ code: 'python-timeout', severity: 'error', range: positions.firstLine(), message: 'Parsing the Python file took too long.' }] };
  }
  try {
    const reader = new LiteralReader(text, positions);
    const module = tree.rootNode;
    reader.collectConstants(module);
    const value = findAssignment(module, SEED_VARIABLE);
    if (!value) {
      return { config: null, problems: [{ code: 'seed-not-found', severity: 'error', range: positions.firstLine(),
        message: `No module-level '${SEED_VARIABLE} = [...]' assignment in this file.` }] };
    }
    const root = reader.read(value);
    const result = validateSeed(file, 'seed-python', root, reader.range(value));
    return { config: result.config, problems: [...reader.problems, ...result.problems] };
  } finally {
    tree.delete();
  }
}

function assignmentParts(stmt: Node): { left: Node; right: Node } | null {
  const a = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
  if (!a || a.type !== 'assignment') return null;
  const left = a.childForFieldName('left');
  const right = a.childForFieldName('right');
  return left && right ? { left, right } : null;
}

/** The value of the last module-level `name = ...` (also `name: list = ...`). */
function findAssignment(module: Node, name: string): Node | null {
  let found: Node | null = null;
  for (const stmt of module.namedChildren) {
    const parts = stmt ? assignmentParts(stmt) : null;
    if (parts && parts.left.type === 'identifier' && parts.left.text === name) found = parts.right;
  }
  return found;
}

class LiteralReader {
  readonly problems: ConfigProblem[] = [];
  private readonly constants = new Map<string, string>();

  constructor(private readonly text: string, private readonly positions: TextPositions) {}

  range(n: Node) {
    return this.positions.range(n.startIndex, n.endIndex);
  }

  collectConstants(module: Node): void {
    for (const stmt of module.namedChildren) {
      if (!stmt) continue;
      const parts = assignmentParts(stmt);
      if (parts?.left.type === 'identifier') this.addConstant(parts.left.text, parts.right);
      if (stmt.type === 'class_definition') {
        const cls = stmt.childForFieldName('name')?.text;
        const body = stmt.childForFieldName('body');
        for (const inner of body?.namedChildren ?? []) {
          const p = inner ? assignmentParts(inner) : null;
          if (cls && p?.left.type === 'identifier') this.addConstant(`${cls}.${p.left.text}`, p.right);
        }
      }
    }
  }

  private addConstant(name: string, value: Node): void {
    const s = this.stringValue(value, false);
    if (s !== null) this.constants.set(name, s);
    else this.constants.delete(name);
  }

  read(n: Node): LocatedValue {
    const range = this.range(n);
    switch (n.type) {
      case 'list':
      case 'tuple':
        return { kind: 'seq', range, items: this.children(n).map((c) => this.read(c)) };
      case 'parenthesized_expression': {
        const inner = this.children(n)[0];
        return inner ? this.read(inner) : this.dynamic(n, 'empty parentheses');
      }
      case 'dictionary':
        return { kind: 'map', range, entries: this.entries(n) };
      case 'true':
      case 'false':
        return { kind: 'scalar', range, value: n.type === 'true' };
      case 'none':
        return { kind: 'scalar', range, value: null };
      case 'integer':
      case 'float':
        return { kind: 'scalar', range, value: Number(n.text.replace(/_/g, '')) };
      case 'string':
      case 'concatenated_string':
      case 'identifier':
      case 'attribute': {
        const s = this.stringValue(n, true);
        return s === null ? this.dynamic(n, 'not a literal or a known string constant') : { kind: 'scalar', range, value: s };
      }
      default:
        return this.dynamic(n, `a ${n.type.replace(/_/g, ' ')} cannot be read statically`);
    }
  }

  private children(n: Node): Node[] {
    return n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  }

  private entries(dict: Node): LocatedEntry[] {
    const out: LocatedEntry[] = [];
    for (const pair of this.children(dict)) {
      const k = pair.childForFieldName('key');
      const v = pair.childForFieldName('value');
      if (pair.type !== 'pair' || !k || !v) {
        this.problems.push({ code: 'seed-python-dynamic', severity: 'error', range: this.range(pair), message: 'Only `"key": value` pairs can be read here.' });
        continue;
      }
      const key = this.stringValue(k, true);
      if (key === null) {
        this.problems.push({ code: 'seed-python-dynamic', severity: 'error', range: this.range(k), message: 'Dictionary keys must be string literals.' });
        continue;
      }
      out.push({ key, keyRange: this.range(k), range: this.range(pair), value: this.read(v) });
    }
    return out;
  }

  private dynamic(n: Node, reason: string): LocatedValue {
    this.problems.push({ code: 'seed-python-dynamic', severity: 'error', range: this.range(n), message: `Cannot read this value statically: ${reason}.` });
    return { kind: 'scalar', range: this.range(n), value: null };
  }

  /** String literal / concatenation / constant reference -> its value; null when not static. */
  private stringValue(n: Node, resolveNames: boolean): string | null {
    if (n.type === 'concatenated_string') {
      const parts = this.children(n).map((c) => this.stringValue(c, resolveNames));
      return parts.every((p): p is string => p !== null) ? parts.join('') : null;
    }
    if (n.type === 'identifier' || n.type === 'attribute') return resolveNames ? (this.constants.get(n.text) ?? null) : null;
    if (n.type !== 'string') return null;
    const start = n.namedChildren.find((c) => c?.type === 'string_start')?.text ?? '"';
    const prefix = start.replace(/["']+$/, '').toLowerCase();
    if (prefix.includes('f') && n.namedChildren.some((c) => c?.type === 'interpolation')) return null;
    if (prefix.includes('b')) return null;
    const body = n.namedChildren.filter((c) => c?.type === 'string_content' || c?.type === 'escape_sequence').map((c) => c!.text).join('');
    void this.text;
    return prefix.includes('r') ? body : unescapePython(body);
  }
}

function unescapePython(s: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/gs, (m, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return simple[e] ?? (e === '\n' ? '' : m);
  });
}

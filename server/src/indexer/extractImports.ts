/** Import statements executed at module import time: facts for the index and local-name bindings. */
import type { Node } from 'web-tree-sitter';
import type { ImportFact, Range } from '../model/facts';
import { endIndexOf } from './nodeMemo';
import { namedKids, nodeRange, typeOf } from './syntax';

/** What a local name is bound to by an import. `symbol` null: the name is a module (`import a.b as m`). */
export interface ImportBinding {
  local: string;
  module: string;
  symbol: string | null;
  range: Range;
}

export interface Imports {
  facts: ImportFact[];
  bindings: ImportBinding[];
}

function moduleName(n: Node): string {
  if (typeOf(n) !== 'relative_import') return n.text.replace(/\s+/g, '');
  const prefix = namedKids(n).find((c) => typeOf(c) === 'import_prefix')?.text.replace(/\s+/g, '') ?? '';
  const rest = namedKids(n).find((c) => typeOf(c) === 'dotted_name')?.text.replace(/\s+/g, '') ?? '';
  return prefix + rest;
}

/**
 * `statements`: the module's import-time statements (`moduleStatements`). `source`: the text of a tree
 * without errors, from which one-line imports are read without asking the tree about each name.
 */
export function collectImports(statements: Iterable<Node>, source: string | null = null): Imports {
  const out: Imports = { facts: [], bindings: [] };
  for (const st of statements) {
    const type = typeOf(st);
    if (type !== 'import_statement' && type !== 'import_from_statement') continue;
    if (source !== null && readImportText(source, st, out)) continue;
    if (type === 'import_statement') readImport(st, out);
    else readFromImport(st, out);
  }
  return out;
}

function readImport(st: Node, out: Imports): void {
  for (const item of st.childrenForFieldName('name')) {
    if (!item) continue;
    const range = nodeRange(item);
    if (typeOf(item) === 'aliased_import') {
      const mod = item.childForFieldName('name')?.text.replace(/\s+/g, '') ?? '';
      const alias = item.childForFieldName('alias')?.text ?? mod;
      out.facts.push({ module: mod, symbol: '', alias, range });
      out.bindings.push({ local: alias, module: mod, symbol: null, range });
    } else {
      const mod = item.text.replace(/\s+/g, '');
      const top = mod.split('.')[0] ?? mod;
      out.facts.push({ module: mod, symbol: '', alias: top, range });
      // `import a.b` binds `a`; attribute access walks down from there.
      out.bindings.push({ local: top, module: top, symbol: null, range });
    }
  }
}

function readFromImport(st: Node, out: Imports): void {
  const modNode = st.childForFieldName('module_name');
  if (!modNode) return;
  const mod = moduleName(modNode);
  const wildcard = namedKids(st).find((c) => typeOf(c) === 'wildcard_import');
  if (wildcard) {
    out.facts.push({ module: mod, symbol: '*', alias: '*', range: nodeRange(wildcard) });
    return;
  }
  for (const item of st.childrenForFieldName('name')) {
    if (!item) continue;
    const range = nodeRange(item);
    const symbol = (typeOf(item) === 'aliased_import' ? item.childForFieldName('name')?.text : item.text)?.replace(/\s+/g, '') ?? '';
    const alias = typeOf(item) === 'aliased_import' ? (item.childForFieldName('alias')?.text ?? symbol) : symbol;
    out.facts.push({ module: mod, symbol, alias, range });
    out.bindings.push({ local: alias, module: mod, symbol, range });
  }
}

interface Word {
  text: string;
  start: number;
  end: number;
}

const WORDS = /[ \t]*(?:([A-Za-z_][A-Za-z0-9_]*)|([.,()*]))/y;

/**
 * A one-line import statement read from its text (ASCII names, `.` `,` `(` `)` `*` and blanks only);
 * false, with nothing added, for anything else. Same facts and ranges as the tree path.
 */
function readImportText(source: string, st: Node, out: Imports): boolean {
  const start = st.startIndex;
  const end = endIndexOf(st);
  const words: Word[] = [];
  WORDS.lastIndex = start;
  while (WORDS.lastIndex < end) {
    const at = WORDS.lastIndex;
    const m = WORDS.exec(source);
    if (!m || m.index !== at || WORDS.lastIndex > end) return false;
    const text = m[1] ?? m[2]!;
    words.push({ text, start: WORDS.lastIndex - text.length, end: WORDS.lastIndex });
  }
  const { row, column } = st.startPosition;
  const range = (a: Word, b: Word): Range => ({ start: { line: row, character: column + a.start - start }, end: { line: row, character: column + b.end - start } });
  const facts: ImportFact[] = [];
  const bindings: ImportBinding[] = [];
  let i = 0;
  const at = (k: number): string | undefined => words[k]?.text;
  const isName = (k: number): boolean => /^[A-Za-z_]/.test(at(k) ?? '') && at(k) !== 'as' && at(k) !== 'import';
  /** `a.b.c` from word i: [name, last word index] or null. */
  const dotted = (): { name: string; first: Word; last: Word } | null => {
    if (!isName(i)) return null;
    const first = words[i]!;
    let name = first.text;
    let last = first;
    i++;
    while (at(i) === '.' && isName(i + 1)) {
      name += `.${at(i + 1)}`;
      last = words[i + 1]!;
      i += 2;
    }
    return { name, first, last };
  };
  /** `name` or `name as alias` items separated by commas (optionally in parentheses for from-imports). */
  const items = (allowParens: boolean, each: (name: string, alias: string | null, r: Range) => void): boolean => {
    const paren = allowParens && at(i) === '(';
    if (paren) i++;
    for (;;) {
      const d = allowParens ? (isName(i) ? { name: at(i)!, first: words[i]!, last: words[i++]!, } : null) : dotted();
      if (!d) return false;
      let alias: string | null = null;
      let last = d.last;
      if (at(i) === 'as') {
        if (!isName(i + 1)) return false;
        alias = at(i + 1)!;
        last = words[i + 1]!;
        i += 2;
      }
      each(d.name, alias, range(d.first, last));
      if (at(i) !== ',') break;
      i++;
      if (paren && at(i) === ')') break;
    }
    if (paren) {
      if (at(i) !== ')') return false;
      i++;
    }
    return i === words.length;
  };
  if (at(0) === 'import') {
    i = 1;
    const ok = items(false, (name, alias, r) => {
      if (alias !== null) {
        facts.push({ module: name, symbol: '', alias, range: r });
        bindings.push({ local: alias, module: name, symbol: null, range: r });
      } else {
        const top = name.split('.')[0] ?? name;
        facts.push({ module: name, symbol: '', alias: top, range: r });
        bindings.push({ local: top, module: top, symbol: null, range: r });
      }
    });
    if (!ok) return false;
  } else if (at(0) === 'from') {
    i = 1;
    let mod = '';
    while (at(i) === '.') (mod += '.'), i++;
    if (isName(i)) mod += dotted()!.name;
    if (!mod || at(i) !== 'import') return false;
    i++;
    if (at(i) === '*') {
      if (i + 1 !== words.length) return false;
      facts.push({ module: mod, symbol: '*', alias: '*', range: range(words[i]!, words[i]!) });
    } else {
      const ok = items(true, (name, alias, r) => {
        facts.push({ module: mod, symbol: name, alias: alias ?? name, range: r });
        bindings.push({ local: alias ?? name, module: mod, symbol: name, range: r });
      });
      if (!ok) return false;
    }
  } else {
    return false;
  }
  out.facts.push(...facts);
  out.bindings.push(...bindings);
  return true;
}

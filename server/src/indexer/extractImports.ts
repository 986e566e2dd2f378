/** Import statements executed at module import time: facts for the index and local-name bindings. */
import type { Node } from 'web-tree-sitter';
import type { ImportFact, Range } from '../model/facts';
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

/** `statements`: the module's import-time statements (`moduleStatements`). */
export function collectImports(statements: Iterable<Node>): Imports {
  const out: Imports = { facts: [], bindings: [] };
  for (const st of statements) {
    const type = typeOf(st);
    if (type === 'import_statement') readImport(st, out);
    else if (type === 'import_from_statement') readFromImport(st, out);
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

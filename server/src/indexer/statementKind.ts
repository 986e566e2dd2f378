/**
 * A statement's node type from its first word, in a tree without syntax errors: reserved words decide
 * it (`def` starts a function definition, `@` a decorated one, `import` an import...), and any other
 * start is an expression statement. Soft keywords (`match`, `type`, `case`) and Python 2's `print` and
 * `exec` may start either, and `from __future__` is its own kind: those are left to the tree.
 */
import type { Node } from 'web-tree-sitter';
import { cleanSourceOf, knowType, typeOf } from './nodeMemo';

const BY_KEYWORD: Record<string, string> = {
  def: 'function_definition',
  class: 'class_definition',
  if: 'if_statement',
  for: 'for_statement',
  while: 'while_statement',
  try: 'try_statement',
  with: 'with_statement',
  import: 'import_statement',
  from: 'import_from_statement',
  return: 'return_statement',
  pass: 'pass_statement',
  break: 'break_statement',
  continue: 'continue_statement',
  raise: 'raise_statement',
  global: 'global_statement',
  nonlocal: 'nonlocal_statement',
  del: 'delete_statement',
  assert: 'assert_statement',
};
const ASK_THE_TREE = new Set(['match', 'type', 'case', 'print', 'exec']);
const FIRST_WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const SECOND_WORD = /[ \t]+([A-Za-z_][A-Za-z0-9_]*)/y;

function kindFromText(text: string, at: number): string | null {
  if (text.charCodeAt(at) === 64) return 'decorated_definition'; // @
  FIRST_WORD.lastIndex = at;
  const word = FIRST_WORD.exec(text)?.[0];
  if (word === undefined) return 'expression_statement';
  if (ASK_THE_TREE.has(word)) return null;
  const next = (): string | undefined => {
    SECOND_WORD.lastIndex = FIRST_WORD.lastIndex;
    return SECOND_WORD.exec(text)?.[1];
  };
  if (word === 'async') {
    const second = next();
    return second === 'def' || second === 'for' || second === 'with' ? BY_KEYWORD[second]! : null;
  }
  if (word === 'from' && next() === '__future__') return null;
  return BY_KEYWORD[word] ?? 'expression_statement';
}

/** The type of statement node `st` (a child of the module or of a block). */
export function statementType(st: Node): string {
  const text = cleanSourceOf(st);
  const kind = text === null ? null : kindFromText(text, st.startIndex);
  if (kind !== null) knowType(st, kind);
  return typeOf(st);
}

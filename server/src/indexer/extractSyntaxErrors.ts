/**
 * ERROR and MISSING nodes of a tree (and Python 2-only statements), each with its range and a readable
 * message. Every tree whose root has an error yields at least one located syntax error: tree-sitter can
 * also insert MISSING *hidden* tokens (e.g. the `_newline` between `from m import aimport b`'s two
 * statements), which no cursor or query visits; those are found as a node that has an error while none
 * of its visible children has one, and located from the shape of its children.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Position, Range, SyntaxErrorFact } from '../model/facts';
import { TextPositions } from '../config/textPositions';
import { UNLIMITED, type Budget } from './budget';
import { firstLexicalError } from './lexicalErrors';
import { firstPythonError } from './pythonIndentation';
import { excerpt, nodeRange, pos, typeOf } from './syntax';

const MAX_ERRORS = 50;

/** `text`: the source the tree was parsed from. */
export function extractSyntaxErrors(tree: Tree, text: string, budget: Budget = UNLIMITED): SyntaxErrorFact[] {
  const out: SyntaxErrorFact[] = [];
  // What Python's tokenizer and indentation checks reject though the grammar accepts it.
  const py = firstPythonError(text);
  if (py) {
    const at = { line: py.line, character: py.character };
    out.push({ range: { start: at, end: at }, message: py.message });
  }
  // The Python 2 search only where the words occur.
  const mayHavePy2 = /\b(print|exec)\b/.test(text);
  // The grammar still accepts Python 2 statements; Python 3 (and so Airflow) rejects them.
  for (const n of mayHavePy2 ? tree.rootNode.descendantsOfType(['print_statement', 'exec_statement']) : []) {
    if (n && out.length < MAX_ERRORS) out.push({ range: nodeRange(n), message: `Syntax error: Python 2 ${typeOf(n) === 'print_statement' ? 'print' : 'exec'} statement` });
  }
  const root = tree.rootNode;
  if (!root.hasError) return out;
  const before = out.length;
  walkErrors(tree, out, budget);
  if (out.length === before) out.push({ range: zeroWidthAt(root), message: 'Syntax error' });
  // The grammar's error where Python's own already stands says the same thing less well.
  if (py) for (let k = out.length - 1; k >= before; k--) if (out[k]!.range.start.line === py.line && out[k]!.range.start.character === py.character) out.splice(k, 1);
  // Python stops at its first error: one the grammar finds earlier comes first, and an indentation
  // error after it may only follow from it (a missing `:` makes the next line's indent unexpected).
  // (On the same line, the grammar's error is the same mistake read less well: Python's stays.)
  if (py && out.slice(before).some((e) => e.range.start.line < py.line)) out.shift();
  // An unclosed string or bracket: say it where Python does, instead of the ERROR node tree-sitter
  // wrapped around it (often most of the file).
  const lex = firstLexicalError(text);
  if (!lex) return out;
  const positions = new TextPositions(text);
  const at = positions.range(lex.offset, lex.offset + lex.length);
  const unterminated = /unterminated/.test(lex.message);
  const kept = out.filter((e) => !contains(e.range, at.start) && !(unterminated && e.message === 'Syntax error: missing "string_end"'));
  return [{ range: at, message: lex.message }, ...kept];
}

function contains(r: Range, p: Position): boolean {
  const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(p, r.start) && after(r.end, p);
}

/**
 * Depth-first over the nodes that have errors only (iterative, so any nesting depth is fine). `flags`
 * holds, per open ancestor, whether one of its children had an error.
 */
function walkErrors(tree: Tree, out: SyntaxErrorFact[], budget: Budget): void {
  const cursor = tree.walk();
  const flags: boolean[] = [];
  try {
    for (;;) {
      if (out.length >= MAX_ERRORS) return;
      budget.tick();
      const n = cursor.currentNode;
      if (n.hasError || n.isMissing) {
        if (flags.length) flags[flags.length - 1] = true;
        if (n.isMissing) {
          out.push({ range: nodeRange(n), message: `Syntax error: missing ${typeOf(n) === '' ? 'token' : `"${typeOf(n)}"`}` });
        } else if (n.isError) {
          const text = excerpt(n, 30);
          out.push({ range: nodeRange(n), message: text ? `Syntax error: unexpected "${text}"` : 'Syntax error' });
        } else if (cursor.gotoFirstChild()) {
          flags.push(false);
          continue;
        } else {
          out.push(hiddenError(n));
        }
      }
      for (;;) {
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) return;
        if (flags.pop() === false && out.length < MAX_ERRORS) out.push(hiddenError(cursor.currentNode));
      }
    }
  } finally {
    cursor.delete();
  }
}

/** A node with an error inside but no visible child with one: a MISSING hidden token among its children. */
function hiddenError(n: Node): SyntaxErrorFact {
  const kids = n.children.filter((c): c is Node => c !== null);
  // Two statements on one line with nothing between them: the missing token is the line break.
  for (let i = 1; i < kids.length; i++) {
    const a = kids[i - 1]!;
    const b = kids[i]!;
    if (a.isNamed && b.isNamed && !a.isExtra && !b.isExtra && a.endPosition.row === b.startPosition.row) {
      const at = pos(b.startPosition);
      return { range: { start: at, end: at }, message: `Syntax error: missing line break (or ";") before "${excerpt(b, 30)}"` };
    }
  }
  const last = kids[kids.length - 1];
  const range = n.parent ? nodeRange(n) : last ? { start: pos(last.endPosition), end: pos(last.endPosition) } : zeroWidthAt(n);
  return { range, message: 'Syntax error: incomplete statement' };
}

function zeroWidthAt(n: Node): Range {
  const at = pos(n.startPosition);
  return { start: at, end: at };
}

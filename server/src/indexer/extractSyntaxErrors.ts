/** ERROR and MISSING nodes of a tree (and Python 2-only statements), each with its range and a readable message. */
import type { Tree } from 'web-tree-sitter';
import type { SyntaxErrorFact } from '../model/facts';
import { excerpt, nodeRange } from './syntax';

const MAX_ERRORS = 50;

/** `mayHavePy2`: the text contains the word `print` or `exec` (else the Python 2 search is skipped). */
export function extractSyntaxErrors(tree: Tree, mayHavePy2 = true): SyntaxErrorFact[] {
  const out: SyntaxErrorFact[] = [];
  // The grammar still accepts Python 2 statements; Python 3 (and so Airflow) rejects them.
  for (const n of mayHavePy2 ? tree.rootNode.descendantsOfType(['print_statement', 'exec_statement']) : []) {
    if (n && out.length < MAX_ERRORS) out.push({ range: nodeRange(n), message: `Syntax error: Python 2 ${n.type === 'print_statement' ? 'print' : 'exec'} statement` });
  }
  if (!tree.rootNode.hasError) return out;
  const cursor = tree.walk();
  try {
    let done = false;
    while (!done && out.length < MAX_ERRORS) {
      const n = cursor.currentNode;
      let descend = n.hasError;
      if (n.isMissing) {
        out.push({ range: nodeRange(n), message: `Syntax error: missing ${n.type === '' ? 'token' : `"${n.type}"`}` });
        descend = false;
      } else if (n.isError) {
        const text = excerpt(n, 30);
        out.push({ range: nodeRange(n), message: text ? `Syntax error: unexpected "${text}"` : 'Syntax error' });
        descend = false;
      }
      if (descend && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          done = true;
          break;
        }
      }
    }
  } finally {
    cursor.delete();
  }
  return out;
}

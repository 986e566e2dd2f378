/**
 * Pure per-file extraction: tree + text → FileFacts. No I/O, no other files: names imported from
 * other modules are left as `pending` / `import` markers for the workspace index to resolve.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { FileFacts } from '../model/facts';
import { collectAssets } from './extractAssets';
import { extractDags } from './extractDags';
import { extractExports } from './extractExports';
import { collectImports } from './extractImports';
import { attachProducers } from './extractProducers';
import { extractSyntaxErrors } from './extractSyntaxErrors';
import type { ValueCtx } from './extractValues';
import { ModuleScope } from './scope';

export function extractFileFacts(tree: Tree, text: string, file: string, version: number): FileFacts {
  const facts: FileFacts = { file, version, dags: [], assets: [], exports: {}, imports: [], syntaxErrors: [] };
  try {
    const root = tree.rootNode;
    facts.syntaxErrors = extractSyntaxErrors(tree);
    const imports = collectImports(root);
    facts.imports = imports.facts;
    const ctx: ValueCtx = { file, scope: new ModuleScope(root, imports.bindings) };
    const { calls, decorated } = interestingNodes(tree);
    const table = collectAssets(calls, ctx);
    facts.assets = table.assets;
    const { dags, contexts } = extractDags(root, calls, decorated, ctx, table);
    attachProducers(dags, contexts, calls, decorated, ctx, table);
    facts.dags = dags;
    facts.exports = extractExports(ctx, table);
  } catch (e) {
    // Never let odd input take the server down: report where we are and keep what was read.
    facts.syntaxErrors.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `Could not analyse this file (${text.length} characters): ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  return facts;
}

/** One cursor pass over the tree collecting call expressions and decorated definitions, in source order. */
function interestingNodes(tree: Tree): { calls: Node[]; decorated: Node[] } {
  const calls: Node[] = [];
  const decorated: Node[] = [];
  const cursor = tree.walk();
  try {
    for (;;) {
      const type = cursor.nodeType;
      if (type === 'call') calls.push(cursor.currentNode);
      else if (type === 'decorated_definition') decorated.push(cursor.currentNode);
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return { calls, decorated };
    }
  } finally {
    cursor.delete();
  }
}

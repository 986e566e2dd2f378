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
import { moduleStatements, type CallSite } from './syntax';

export function extractFileFacts(tree: Tree, text: string, file: string, version: number): FileFacts {
  const facts: FileFacts = { file, version, dags: [], assets: [], exports: {}, imports: [], syntaxErrors: [] };
  try {
    const root = tree.rootNode;
    facts.syntaxErrors = extractSyntaxErrors(tree, /\b(print|exec)\b/.test(text));
    const statements = [...moduleStatements(root)];
    const imports = collectImports(statements);
    facts.imports = imports.facts;
    const ctx: ValueCtx = { file, scope: new ModuleScope(root, imports.bindings, statements) };
    const { calls, decorated } = interestingNodes(root, ctx);
    const table = collectAssets(calls, ctx);
    facts.assets = table.assets;
    const { dags, contexts } = extractDags(statements, calls, decorated, ctx, table);
    // Producers need an `outlets=` keyword somewhere in the file.
    if (text.includes('outlets')) attachProducers(dags, contexts, calls, decorated, ctx, table);
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

/**
 * Call expressions (with their callee and its Airflow name, computed once) and decorated definitions,
 * in source order. The tree walk runs inside wasm (descendantsOfType); only matches cross into JS.
 */
function interestingNodes(root: Node, ctx: ValueCtx): { calls: CallSite[]; decorated: Node[] } {
  const calls: CallSite[] = [];
  const decorated: Node[] = [];
  for (const n of root.descendantsOfType(['call', 'decorated_definition'])) {
    if (!n) continue;
    if (n.type === 'decorated_definition') {
      decorated.push(n);
      continue;
    }
    const fn = n.childForFieldName('function');
    calls.push({ call: n, fn, name: fn ? ctx.scope.airflowName(fn) : null });
  }
  return { calls, decorated };
}

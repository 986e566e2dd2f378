/**
 * Pure per-file extraction: tree + text → FileFacts. No I/O, no other files: names imported from
 * other modules are left as `pending` / `import` markers for the workspace index to resolve.
 * Extraction has a wall-clock budget: past it the file's facts carry a `skipped` reason instead.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { FileFacts } from '../model/facts';
import { AnalysisTimeout, Budget, EXTRACT_MILLIS } from './budget';
import { collectAssets } from './extractAssets';
import { extractDags } from './extractDags';
import { extractExports } from './extractExports';
import { collectImports } from './extractImports';
import { attachProducers } from './extractProducers';
import { extractSyntaxErrors } from './extractSyntaxErrors';
import type { ValueCtx } from './extractValues';
import { ModuleScope, SCOPE_TYPES } from './scope';
import { forgetNodeAnswers } from './nodeMemo';
import { CallPlacements } from './placements';
import { type CallSite, moduleStatements, typeOf } from './syntax';

export interface ExtractOptions {
  /** Wall-clock budget for the extraction in milliseconds (default EXTRACT_MILLIS). */
  budgetMillis?: number;
}

export function extractFileFacts(tree: Tree, text: string, file: string, version: number, opts: ExtractOptions = {}): FileFacts {
  const facts: FileFacts = { file, version, dags: [], assets: [], exports: {}, imports: [], syntaxErrors: [] };
  const budget = new Budget(opts.budgetMillis ?? EXTRACT_MILLIS);
  forgetNodeAnswers();
  try {
    const root = tree.rootNode;
    // Not on the budget: one linear walk of the nodes with errors, capped at 50 errors, and kept when the
    // rest of the analysis runs out of time.
    facts.syntaxErrors = extractSyntaxErrors(tree, /\b(print|exec)\b/.test(text));
    const statements: Node[] = [];
    for (const st of moduleStatements(root)) {
      budget.tick();
      statements.push(st);
    }
    const imports = collectImports(statements);
    facts.imports = imports.facts;
    const found = interestingNodes(root, budget);
    const scope = new ModuleScope(root, imports.bindings, statements, budget, found.scopes);
    const ctx: ValueCtx = { file, scope, places: new CallPlacements(root, budget, found) };
    const decorated = found.decorated;
    const calls: CallSite[] = found.calls.map((call) => {
      budget.tick();
      const fn = call.childForFieldName('function');
      return { call, fn, name: fn ? scope.airflowName(fn) : null };
    });
    const table = collectAssets(calls, ctx);
    facts.assets = table.assets;
    const { dags, contexts } = extractDags(statements, calls, decorated, ctx, table);
    // Producers need an `outlets=` keyword somewhere in the file.
    if (text.includes('outlets')) attachProducers(dags, contexts, calls, decorated, ctx, table);
    facts.dags = dags;
    facts.exports = extractExports(ctx, table);
    budget.check();
  } catch (e) {
    if (e instanceof AnalysisTimeout) {
      // Partial facts would be misleading (DAGs missing their producers, exports cut short): keep only
      // the syntax errors, which are complete or capped on their own.
      return { file, version, dags: [], assets: [], exports: {}, imports: [], syntaxErrors: facts.syntaxErrors, skipped: `${e.message}: not analysed` };
    }
    // Never let odd input take the server down: report where we are and keep what was read.
    facts.syntaxErrors.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `Could not analyse this file (${text.length} characters): ${e instanceof Error ? e.message : String(e)}`,
    });
  } finally {
    forgetNodeAnswers();
  }
  return facts;
}

interface Found {
  calls: Node[];
  decorated: Node[];
  scopes: Node[];
  assignments: Node[];
  withs: Node[];
}

const SCOPES = new Set(SCOPE_TYPES);

/**
 * Every node kind extraction looks up, in source order, from one tree walk that runs inside wasm
 * (descendantsOfType); only matches cross into JS. Each separate walk of a large file costs as much.
 */
function interestingNodes(root: Node, budget: Budget): Found {
  const out: Found = { calls: [], decorated: [], scopes: [], assignments: [], withs: [] };
  for (const n of root.descendantsOfType(['call', 'decorated_definition', 'assignment', 'with_statement', ...SCOPE_TYPES])) {
    if (!n) continue;
    budget.tick();
    const type = typeOf(n);
    if (type === 'call') out.calls.push(n);
    else if (type === 'decorated_definition') out.decorated.push(n);
    else if (type === 'assignment') out.assignments.push(n);
    else if (type === 'with_statement') out.withs.push(n);
    else if (SCOPES.has(type)) out.scopes.push(n);
  }
  return out;
}

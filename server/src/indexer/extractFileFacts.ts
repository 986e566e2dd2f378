/**
 * Pure per-file extraction: tree + text → FileFacts. No I/O, no other files: names imported from
 * other modules are left as `pending` / `import` markers for the workspace index to resolve.
 * Extraction has a wall-clock budget: past it the file's facts carry a `skipped` reason instead.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { FileFacts } from '../model/facts';
import { AnalysisTimeout, Budget, EXTRACT_MILLIS } from './budget';
import { findCalls, findDecorated } from './candidates';
import { findScopes } from './scopeKeywords';
import { ASSET_CLASSES, collectAssets } from './extractAssets';
import { extractDags } from './extractDags';
import { extractExports } from './extractExports';
import { expandFactories, factoryExports, importedFactoryCalls } from './factoryCalls';
import { assetDags, assetDecoratorErrors, collectAssetFunctions } from './assetDags';
import { dagFactoryDags, isDagFactoryModule, mayUseDagFactory } from './dagFactoryCalls';
import { findDagClasses, mayBeDagClassName } from './dagClasses';
import { collectImports, type ImportBinding } from './extractImports';
import { attachProducers } from './extractProducers';
import { extractSyntaxErrors } from './extractSyntaxErrors';
import type { ValueCtx } from './extractValues';
import { ModuleScope } from './scope';
import { cleanSourceOf, forgetNodeAnswers, rememberSource } from './nodeMemo';
import { CallPlacements } from './placements';
import { type CallSite, moduleStatements, textOf } from './syntax';

export interface ExtractOptions {
  /** Wall-clock budget for the extraction in milliseconds (default EXTRACT_MILLIS). */
  budgetMillis?: number;
}

export function extractFileFacts(tree: Tree, text: string, file: string, version: number, opts: ExtractOptions = {}): FileFacts {
  const facts: FileFacts = { file, version, dags: [], assets: [], exports: {}, imports: [], syntaxErrors: [] };
  const budget = new Budget(opts.budgetMillis ?? EXTRACT_MILLIS);
  forgetNodeAnswers();
  rememberSource(tree, text);
  try {
    const root = tree.rootNode;
    // Not on the budget: one linear walk of the nodes with errors, capped at 50 errors, and kept when the
    // rest of the analysis runs out of time.
    facts.syntaxErrors = extractSyntaxErrors(tree, text);
    const statements: Node[] = [];
    for (const st of moduleStatements(root)) {
      budget.tick();
      statements.push(st);
    }
    const imports = collectImports(statements, cleanSourceOf(root));
    facts.imports = imports.facts;
    const scope = new ModuleScope(root, imports.bindings, statements, budget, { scopes: () => findScopes(root, text, budget), text });
    const ctx: ValueCtx = { file, scope, places: new CallPlacements(root, budget) };
    findDagClasses(statements, text, scope);
    // Producers need an `outlets=` keyword somewhere in the file.
    const producers = text.includes('outlets');
    const decorated = findDecorated(root, text, decoratorNames(imports.bindings, producers), budget);
    const calls: CallSite[] = findCalls(root, text, calleeNames(imports.bindings, producers ? decorated : [], scope), budget).map((call) => {
      budget.tick();
      const fn = call.childForFieldName('function');
      return { call, fn, name: fn ? scope.airflowName(fn) : null };
    });
    const table = collectAssets(calls, ctx);
    const mayUseAsset = mayUseAssetDecorator(imports.bindings, text);
    const assetFns = mayUseAsset ? collectAssetFunctions(decorated, ctx, table) : [];
    const importErrors = mayUseAsset ? assetDecoratorErrors(decorated, ctx) : [];
    if (importErrors.length) facts.importErrors = importErrors;
    facts.assets = table.assets;
    const { dags, contexts, factories } = extractDags(statements, calls, decorated, ctx, table);
    if (producers) attachProducers(dags, contexts, calls, decorated, ctx, table);
    facts.dags = expandFactories(dags, factories, ctx);
    if (assetFns.length) facts.dags.push(...assetDags(assetFns, ctx, table));
    // DAGs dag-factory builds from YAML: dynamic, with the call and the YAML as the reason.
    if (mayUseDagFactory(imports.bindings, text)) facts.dags.push(...dagFactoryDags(statements, imports.bindings, ctx));
    facts.exports = extractExports(ctx, table);
    if (factories.length) Object.assign(facts.exports, factoryExports(factories, dags, ctx, table));
    const factoryCalls = importedFactoryCalls(statements, imports.bindings, text, ctx, table);
    if (factoryCalls.length) facts.factoryCalls = factoryCalls;
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

/** `@asset` can only be Airflow's where an import binds `asset` (or an Airflow module it is read from). */
function mayUseAssetDecorator(bindings: ImportBinding[], text: string): boolean {
  return bindings.some((b) => b.symbol === 'asset' || (b.symbol === null && (b.module === 'airflow' || b.module.startsWith('airflow.')) && text.includes('.asset')));
}

/** Callee names a kept call can end with (see extraction's readers of `calls`). */
const READ_CALLEES = ['DAG', 'DbtDag', ...ASSET_CLASSES];

/** `symbols` and the local names imports bind to them (`from airflow import DAG as D` adds `D`). */
function withAliases(symbols: readonly string[], bindings: ImportBinding[]): Set<string> {
  const names = new Set(symbols);
  for (const b of bindings) if (b.symbol !== null && symbols.includes(b.symbol)) names.add(b.local);
  return names;
}

/** Decorator names a kept definition can use: `@dag`, and `@task(outlets=...)` when producers are read. */
function decoratorNames(bindings: ImportBinding[], producers: boolean): Set<string> {
  return withAliases(producers ? ['dag', 'task', 'asset'] : ['dag', 'asset'], bindings);
}

/**
 * Names whose calls extraction reads: Airflow's DAG and asset classes, local aliases bound to them by
 * imports, and the decorated functions kept (a module-level `@task(outlets=...)` function called
 * inside a DAG is one of its producers).
 */
function calleeNames(bindings: ImportBinding[], decorated: Node[], scope: ModuleScope): Set<string> {
  const names = withAliases(READ_CALLEES, bindings);
  for (const c of scope.dagClasses.keys()) names.add(c);
  // Imported classes that may be DAG subclasses of another workspace module (the index decides).
  for (const b of bindings) if (b.symbol !== null && mayBeDagClassName(b.local) && !isDagFactoryModule(b.module)) names.add(b.local);
  for (const d of decorated) {
    const name = d.childForFieldName('definition')?.childForFieldName('name');
    if (name) names.add(textOf(name));
  }
  return names;
}

/**
 * ADA012 invalid dag_id, ADA013 dynamic dag_id/tags, ADA014 tags in default_args, ADA019 @dag never
 * called, ADA027 import errors, ADA098 file not analysed, ADA099 syntax errors.
 */
import type { FileFacts } from '../model/facts';
import type { TextEditFact } from '../model/findings';
import type { FileRule, RuleFinding } from './rule';
import { lazySource } from './pySource';
import { importFailure } from '../project/importFailure';
import { dynamicDagIdMessage } from '../engine/unknownAccess';

export const DAG_ID_MAX_LEN = 250;
/** Python's `^[\w.-]+$` with Unicode-aware `\w`: str.isalnum() characters (letters, numbers) and `_`. */
const DAG_ID_RE = /^[\p{L}\p{N}_.-]+$/u;

export function dagIdProblem(id: string): string | null {
  if (id.length === 0) return 'The dag_id is empty.';
  if ([...id].length > DAG_ID_MAX_LEN) return `The dag_id is ${[...id].length} characters; Airflow allows at most ${DAG_ID_MAX_LEN}.`;
  if (!DAG_ID_RE.test(id)) {
    const bad = [...new Set([...id].filter((c) => !DAG_ID_RE.test(c)))].map((c) => JSON.stringify(c)).join(', ');
    return `The dag_id '${id}' has to be made of alphanumeric characters, dashes, dots and underscores exclusively (found ${bad}); Airflow will not load this DAG.`;
  }
  return null;
}

export const invalidDagId: FileRule = {
  code: 'ADA012',
  scope: 'file',
  check({ facts }) {
    const out: RuleFinding[] = [];
    for (const dag of facts.dags) {
      if (dag.dagId.kind !== 'static') continue;
      const problem = dagIdProblem(dag.dagId.value);
      if (problem) out.push({ file: facts.file, range: dag.dagId.range, message: problem });
    }
    return out;
  },
};

export const dynamicMetadata: FileRule = {
  code: 'ADA013',
  scope: 'file',
  check({ facts }) {
    const out: RuleFinding[] = [];
    for (const dag of facts.dags) {
      if (dag.dagId.kind === 'dynamic' && !dag.dagId.pending) {
        out.push({
          file: facts.file,
          range: dag.dagId.range,
          message: dynamicDagIdMessage(dag.dagId.reason),
        });
      }
      for (const part of dag.tags?.dynamic ?? []) {
        if (part.pending) continue;
        out.push({
          file: facts.file,
          range: part.range,
          message: `These tags are computed at run time (${part.reason}); the editor ignores them. The sync will use the tags Airflow deployed to the metadata database.`,
        });
      }
    }
    return out;
  },
};

export const tagsInDefaultArgs: FileRule = {
  code: 'ADA014',
  scope: 'file',
  check({ facts }) {
    return facts.dags
      .filter((d) => d.defaultArgsTags)
      .map((d) => ({
        file: facts.file,
        range: d.defaultArgsTags!.keywordRange,
        message: 'Airflow ignores tags inside default_args (they are passed to tasks, not to the DAG), so these tags grant nothing. Move them to the DAG\'s tags=[...].',
      }));
  },
};

/**
 * A `@dag` function creates its DAG only when called: Airflow registers the DAG a module-level call
 * returns (apache/airflow#29009), never the bare decorated function. Not flagged when another DAG file
 * imports the function (or this module), since it may be called there.
 */
export const dagNotInstantiated: FileRule = {
  code: 'ADA019',
  scope: 'file',
  check({ ctx, facts }) {
    const out: RuleFinding[] = [];
    const source = lazySource(ctx, facts);
    for (const dag of facts.dags) {
      const fn = dag.functionName;
      if (dag.style !== 'decorator' || dag.instantiated || !fn) continue;
      if (dag.factory) {
        // Defined and called inside a factory function: the DAG exists once the factory runs.
        const f = dag.factory;
        if (ctx.workspace.importersOf(facts.file, f.name).length) continue;
        const id = dag.dagId.kind === 'static' ? `DAG '${dag.dagId.value}'` : 'its DAG';
        out.push({ file: facts.file, range: f.range, message: `'${f.name}' calls the @dag function '${fn.name}', but '${f.name}' itself is never called while the file is imported, so Airflow never registers ${id}. Call ${f.name}(...) at module level.` });
        continue;
      }
      if (ctx.workspace.importersOf(facts.file, fn.name).length) continue;
      const text = source();
      const id = dag.dagId.kind === 'static' ? `DAG '${dag.dagId.value}'` : 'its DAG';
      out.push({
        file: facts.file,
        range: fn.range,
        message: `'${fn.name}' is decorated with @dag but never called, so Airflow never registers ${id}. Call it at module level: ${fn.name}()`,
        fixes: text === null ? [] : [{ title: `Call ${fn.name}() at the end of the file`, kind: 'quickfix', isPreferred: true, edits: [appendLine(facts.file, text, `${fn.name}()`)] }],
      });
    }
    return out;
  },
};

/** An edit adding `line` after the last line of `text` (after one blank line, in the file's line endings). */
function appendLine(file: string, text: string, line: string): TextEditFact {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split('\n');
  const last = lines.length - 1;
  const end = { line: last, character: lines[last]!.length };
  const lead = text.length === 0 ? '' : text.endsWith('\n') ? (text.endsWith(`${eol}${eol}`) ? '' : eol) : `${eol}${eol}`;
  return { file, range: { start: end, end }, newText: `${lead}${line}${eol}` };
}

/**
 * A file the indexer skipped (over 2 MB, nested past the parser's limit, parse or extraction over its
 * time cap, unreadable) has no DAGs for the editor: say so, or its DAGs look checked and fine. Files
 * skipped by Airflow's own safe mode are not DAG files and are not flagged.
 */
export const fileNotAnalysed: FileRule = {
  code: 'ADA098',
  scope: 'file',
  check({ facts }) {
    if (!facts.skipped || facts.skipped.startsWith('safe mode')) return [];
    const start = { line: 0, character: 0 };
    return [{ file: facts.file, range: { start, end: start }, message: `Airflow DAG Access did not analyse this file (${facts.skipped}): its DAGs, tags and access are neither shown nor checked.` }];
  },
};

export const syntaxErrors: FileRule = {
  code: 'ADA099',
  scope: 'file',
  check({ facts }) {
    const out: RuleFinding[] = facts.syntaxErrors.map((e) => ({ file: facts.file, range: e.range, message: e.message }));
    // Each DAG the editor still reads from the text: Airflow registers none of them.
    const failure = importFailure(facts);
    if (failure?.kind === 'syntax') out.push(...notRegistered(facts, failure.sentence));
    return out;
  },
};

/** Each DAG the editor still reads from the text: Airflow registers none of them. */
function notRegistered(facts: FileFacts, sentence: string): RuleFinding[] {
  return facts.dags.map((dag) => ({ file: facts.file, range: dag.nameRange, message: `DAG ${dag.dagId.kind === 'static' ? `'${dag.dagId.value}'` : '(dynamic dag_id)'} is not registered. ${sentence}` }));
}

/**
 * The file parses but raises while Airflow imports it (a bare `@asset`, an `@asset(...)` without
 * `schedule=`: indexer/assetDags.ts says why), so, as with a syntax error, none of its DAGs exists.
 * Not reported when the file does not compile: then none of its code runs (ADA099 says why).
 */
export const importErrors: FileRule = {
  code: 'ADA027',
  scope: 'file',
  check({ facts }) {
    const failure = importFailure(facts);
    if (failure?.kind !== 'import') return [];
    const out: RuleFinding[] = (facts.importErrors ?? []).map((e) => ({ file: facts.file, range: e.range, message: `${e.message}. Airflow cannot import this file.` }));
    return [...out, ...notRegistered(facts, failure.sentence)];
  },
};

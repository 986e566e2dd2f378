/**
 * ADA092: a line of an `.airflowignore` that Airflow does not read as written. A pattern that cannot be compiled: Airflow's DAG processor
 * logs a warning and skips such a line (apache/airflow
 * shared/module_loading/src/airflow_shared/module_loading/file_discovery.py, `_RegexpIgnoreRule.compile`;
 * airflow/utils/file.py in Airflow 2), so the files it was meant to hide are parsed as DAG files. The index skips the line the same way; this reports it where it is written.
 * Regexps are compiled with JavaScript's engine: Python-only syntax such as `(?P<name>...)` is
 * reported too, and the files it would match are indexed.
 * A regexp with whitespace around it (Airflow keeps it: it removes only a comment and the whitespace
 * before it) is compiled as written, by Airflow and by the index, and reported with its own message.
 */
import type { ConfigRule } from './rule';

export const invalidIgnorePattern: ConfigRule = {
  code: 'ADA092',
  scope: 'config',
  check({ ctx }) {
    return ctx.workspace.ignoreProblems().map((p) => ({
      file: p.file,
      range: p.range,
      message: p.kind === 'invalid' ? `${p.message}. This line ignores nothing: the files it names are read as DAG files.` : `${p.message}.`,
    }));
  },
};

/** `index`: the facts the indexer extracted (DAG ids, tags, access_control, assets), as JSON. */
import { type Command, type CommandContext, EXIT } from '../command';
import { stringifyJson } from '../output/json';
import { pathFilter } from '../paths';
import type { FileFacts } from '../../model/facts';

export const indexCommand: Command = {
  name: 'index',
  summary: 'print the extracted facts (DAG ids, tags, access_control, assets) of the workspace as JSON',
  description:
    'The facts come from the same indexer the language server uses. JSON is the only format (--json is accepted).\n' +
    'Ranges in the facts are 0-based LSP positions (line, UTF-16 character); "file" is relative to the root.',
  positionals: [{ name: 'paths', description: 'files or folders to include (default: the whole workspace)', variadic: true }],
  options: [],
  examples: ['airflow-access index --json', 'airflow-access index dags/finance_ledger.py'],
  run: runIndex,
};

async function runIndex(ctx: CommandContext): Promise<number> {
  const wanted = pathFilter(ctx, ctx.args.positionals);
  const { openWorkspace } = await import('../lazyEngine.js');
  const project = await openWorkspace(ctx);
  try {
    const files = project
      .files()
      .filter((f) => wanted(f.file))
      .sort((a, b) => a.file.localeCompare(b.file))
      .map((f) => relativise(f, ctx));
    ctx.out(stringifyJson({ schemaVersion: 1, root: ctx.root, files }));
    return EXIT.ok;
  } finally {
    await project.dispose();
  }
}

/** Every absolute `file` inside the facts (the file itself, `via.file`, imported refs) made root-relative. */
function relativise(facts: FileFacts, ctx: CommandContext): unknown {
  return JSON.parse(JSON.stringify(facts, (key, value: unknown) => (key === 'file' && typeof value === 'string' && value.startsWith('/') ? ctx.rel(value) : value)));
}

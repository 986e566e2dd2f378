/** `matrix`: roles × DAGs, the actions each role has on each DAG. */
import * as fs from 'fs';
import * as path from 'path';
import { str } from '../args';
import { type Command, type CommandContext, EXIT } from '../command';
import { stringifyJson } from '../output/json';

export const matrix: Command = {
  name: 'matrix',
  summary: 'print the roles × DAGs access matrix as Markdown, CSV or JSON',
  description: 'Effective access after precedence (reverted grants excluded); roles with no access to any DAG are left out.',
  positionals: [],
  options: [
    { name: 'format', short: 'f', type: 'string', valueName: 'FORMAT', choices: ['md', 'csv', 'json'], description: 'output format' },
    { name: 'output', short: 'o', type: 'string', valueName: 'FILE', description: 'write to FILE instead of stdout' },
  ],
  examples: ['airflow-access matrix', 'airflow-access matrix --format csv -o access.csv'],
  run: runMatrix,
};

async function runMatrix(ctx: CommandContext): Promise<number> {
  const format = ctx.format(['md', 'csv', 'json'] as const);
  const { openWorkspace, refuseInvalidConfig, matrixOf, matrixToCsv, matrixToJson, matrixToMarkdown } = await import('../lazyEngine.js');
  const project = await openWorkspace(ctx);
  // Like plan and sync: a role dropped by a config error would be silently missing from the output.
  await refuseInvalidConfig(ctx, project, 'nothing is shown (the matrix would be wrong)');
  try {
    const m = matrixOf(project);
    const rel = (f: string) => ctx.rel(f);
    // CSV has no place for it (one header, then rows): the note goes to stderr, for the person at the terminal.
    if (m.note && format === 'csv') ctx.note(m.note);
    const text = format === 'json' ? stringifyJson(matrixToJson(m, rel)) : format === 'csv' ? matrixToCsv(m, rel) : matrixToMarkdown(m);
    const outFile = str(ctx.args, 'output');
    if (outFile) {
      fs.mkdirSync(path.dirname(ctx.abs(outFile)), { recursive: true });
      fs.writeFileSync(ctx.abs(outFile), text);
      ctx.note(`Wrote ${m.dags.length} DAGs × ${m.roles.length} roles to ${outFile}`);
    } else if (format === 'md') ctx.outText(text);
    else ctx.out(text);
    return EXIT.ok;
  } finally {
    await project.dispose();
  }
}

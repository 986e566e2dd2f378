/** `migrate-config FILE`: the seed's role_mappings (a YAML list or the MWAA sync DAG) as airflow-access.yaml v1. */
import * as fs from 'fs';
import * as path from 'path';
import { UsageError, flag, str } from '../args';
import { type Command, type CommandContext, EXIT } from '../command';

export const migrateConfig: Command = {
  name: 'migrate-config',
  summary: 'write the airflow-access.yaml (v1) equivalent to a seed role_mappings list or MWAA sync DAG',
  description:
    'Reads role_mappings from FILE (the MWAA tag-sync DAG, or a YAML role_mappings list, nested or flat) and writes\n' +
    'the same roles, in the same order, as airflow-access.yaml version 1, with comments on what changed in meaning.\n' +
    'The editor\'s "Convert role_mappings to the airflow-access v1 format" action writes the same text.',
  positionals: [{ name: 'file', description: 'the sync DAG (.py) or YAML file holding role_mappings', required: true }],
  options: [
    { name: 'out', short: 'o', type: 'string', valueName: 'FILE', description: 'where to write (default: airflow-access.yaml in the root; "-" for stdout)' },
    { name: 'force', type: 'boolean', description: 'overwrite an existing output file' },
  ],
  examples: ['airflow-access migrate-config dags/permission_sync.py', 'airflow-access migrate-config dags/permission_sync.py --out -'],
  run: runMigrate,
};

async function runMigrate(ctx: CommandContext): Promise<number> {
  const given = ctx.args.positionals[0];
  const file = ctx.abs(given);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`no such file: ${given}`);
  const outArg = str(ctx.args, 'out');
  const out = outArg === '-' ? null : outArg !== undefined ? ctx.abs(outArg) : path.join(ctx.root, 'airflow-access.yaml');
  if (out && path.resolve(out) === path.resolve(file)) throw new UsageError(`--out ${outArg ?? out} is the input file; write elsewhere`);
  if (out && fs.existsSync(out) && !flag(ctx.args, 'force')) throw new UsageError(`${ctx.rel(out)} already exists: add --force to overwrite it, or --out FILE`);

  const { configToV1Yaml, loadConfigFileAsync } = await import('../lazyEngine.js');
  const result = await loadConfigFileAsync(file, { wasmDir: __dirname });
  const shown = path.relative(ctx.io.cwd, file) || given;
  const errors = result.problems.filter((p) => p.severity === 'error');
  for (const p of result.problems) ctx.note(`${shown}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity} ${p.message}`);
  if (errors.length || !result.config) throw new Error(`${shown} has ${errors.length || 'unreadable'} error(s); nothing was written`);
  if (result.config.format === 'v1') throw new UsageError(`${given} is already an airflow-access.yaml (version 1): nothing to migrate`);

  const text = configToV1Yaml(result.config);
  if (!out) {
    ctx.out(text);
    return EXIT.ok;
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  const n = result.config.roles.length;
  ctx.note(`Wrote ${ctx.rel(out)} (${n} role${n === 1 ? '' : 's'} from ${shown}). It is the config from now on; the role_mappings in ${path.basename(file)} are no longer read.`);
  return EXIT.ok;
}

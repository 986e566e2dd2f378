/** `rollback <snapshot>`: restore exactly the rows a sync changed. */
import * as fs from 'fs';
import { UsageError, flag } from '../args';
import { type Command, type CommandContext, EXIT } from '../command';
import { DB_OPTIONS, lockTimeoutMs } from '../dbUrl';
import { stringifyJson } from '../output/json';
import { auditUser } from './sync';

export const rollback: Command = {
  name: 'rollback',
  summary: 'restore the rows a sync changed, from the snapshot it wrote (needs --yes)',
  positionals: [{ name: 'snapshot', description: 'snapshot file written by "sync"', required: true }],
  options: [
    ...DB_OPTIONS,
    { name: 'yes', short: 'y', type: 'boolean', description: 'really restore (without it, rollback refuses)' },
    { name: 'other-target', type: 'boolean', description: 'roll back on a database other than the one the snapshot names (the same one under another host name or path)' },
    { name: 'format', short: 'f', type: 'string', valueName: 'FORMAT', choices: ['text', 'json'], description: 'output format' },
  ],
  examples: ['airflow-access rollback .airflow-access/snapshots/<plan>.json --db sqlite:////srv/airflow/airflow.db --yes'],
  run: runRollback,
};

async function runRollback(ctx: CommandContext): Promise<number> {
  if (!flag(ctx.args, 'yes')) throw new UsageError('rollback changes the database: add --yes to restore the snapshot');
  const format = ctx.format(['text', 'json'] as const);
  const file = ctx.abs(ctx.args.positionals[0]);
  if (!fs.existsSync(file)) throw new UsageError(`no such snapshot: ${ctx.args.positionals[0]}`);
  const { withDatabase, rollbackSnapshot } = await import('../lazyEngine.js');
  const result = await withDatabase(ctx, async (db) => {
    ctx.progress.step('Restoring');
    return rollbackSnapshot(db, file, { auditUser: auditUser(ctx), onProgress: (m) => ctx.progress.step(m), otherTarget: flag(ctx.args, 'other-target'), lockTimeoutMs: lockTimeoutMs(ctx.args) });
  }, undefined, { forWrite: true });
  if (format === 'json') ctx.out(stringifyJson({ schemaVersion: 1, ...result }));
  // The message already names the plan and both counts (or says the sync never committed): one line says it all.
  else ctx.out(result.message);
  return EXIT.ok;
}

/** Every command, in the order `--help` lists them. */
import type { Command } from '../command';
import { check } from './check';
import { demoDb } from './demoDb';
import { drift } from './drift';
import { explain } from './explain';
import { generateSyncDag } from './generateSyncDag';
import { indexCommand } from './indexCmd';
import { lsp } from './lsp';
import { matrix } from './matrix';
import { migrateConfig } from './migrateConfig';
import { plan } from './plan';
import { rollback } from './rollback';
import { sync } from './sync';

export const COMMANDS: readonly Command[] = [check, indexCommand, explain, matrix, plan, sync, rollback, drift, generateSyncDag, migrateConfig, demoDb, lsp];

/**
 * The SQL dialects (see ./types.ts for what one is). `dialectFor` is the only place that maps a
 * dialect name to its strategy: its switch is exhaustive, so adding a name to `Dialect`
 * (db/types.ts) does not compile until the new dialect is returned here, and the new object does
 * not compile until it implements every member of `SqlDialect`.
 *
 * Adding a database: add its name to `Dialect`; write `<name>.ts` here exporting a `SqlDialect`;
 * return it below and add it to `NAMES`; write its driver (`Db`, see db/base.ts) and open it in
 * db/connect.ts; run test/unit/db/dialects.test.ts, which checks every dialect's statements.
 */
import type { Dialect } from '../types';
import { mysql } from './mysql';
import { postgres } from './postgres';
import { sqlite } from './sqlite';
import type { SqlDialect } from './types';

export type { SqlDialect } from './types';

/** Every dialect name once (a Record, so a missing name does not compile), in the order the sync DAG lists them. */
const NAMES: Record<Dialect, true> = { postgres: true, mysql: true, sqlite: true };
export const DIALECTS = Object.keys(NAMES) as readonly Dialect[];

export function dialectFor(name: Dialect): SqlDialect {
  switch (name) {
    case 'postgres':
      return postgres;
    case 'mysql':
      return mysql;
    case 'sqlite':
      return sqlite;
    default: {
      const unknown: never = name;
      throw new Error(`Unknown SQL dialect "${String(unknown)}".`);
    }
  }
}

export function isDialect(name: string): name is Dialect {
  return (DIALECTS as readonly string[]).includes(name);
}

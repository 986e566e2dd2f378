/**
 * Large grant inserts on PostgreSQL without a foreign-key check per row.
 *
 * PostgreSQL checks each foreign key of `ab_permission_view_role` with a trigger per inserted row:
 * at 60,000 new grants those two triggers take two thirds of the insert (about 0.6 s of 0.9 s).
 * When the connection may alter the table (it owns it, as Airflow's own user does), the sync drops
 * the keys, inserts, and adds the very same keys back, by the names and definitions PostgreSQL
 * itself prints from `pg_constraint`. Adding a key validates every row of the table in one
 * set-based check, and PostgreSQL DDL is transactional: a failed check, an error or a crash before
 * COMMIT rolls the keys and the rows back together. Integrity is never relaxed at commit.
 *
 * The price is a lock: ALTER TABLE holds ACCESS EXCLUSIVE on `ab_permission_view_role` until
 * commit, so the webserver's permission reads wait for the insert (about 0.3 s at 60,000 rows), and
 * writers of `ab_permission_view` / `ab_role` wait for the re-validation. That is why it is only
 * used above BULK_MIN_GRANTS, where it saves more than it blocks. If the lock is not granted within
 * LOCK_WAIT, a pair turns out to exist already, or anything about the keys is unusual (not
 * validated, commented, not ours to alter), the ordinary insert is used instead.
 */
import type { Db, RunResult } from '../db/types';
import type { Stmt } from './statements';

/** Below this many new grants the per-row checks cost less than taking the table lock. */
export const BULK_MIN_GRANTS = 5_000;

const TABLE = 'ab_permission_view_role';
/**
 * Longest wait for the table lock. While ALTER TABLE waits, every new reader queues behind it (the
 * webserver's permission checks), so it must give up quickly, not after the sync's lock timeout.
 */
const LOCK_WAIT = '1s';
const SAVEPOINT = 'airflow_dag_access_bulk';

interface ForeignKey {
  /** Already quoted by quote_ident. */
  name: string;
  /** pg_get_constraintdef: `FOREIGN KEY (...) REFERENCES ...(...)` with any ON DELETE / DEFERRABLE clauses. */
  def: string;
  valid: boolean;
  comment: string | null;
  alterable: boolean;
}

/**
 * Run the grant inserts `stmts` (through `opts.run`) with the keys dropped, then add the keys back; returns the rows each
 * statement inserted, or null when this path does not apply or stepped aside (nothing is left
 * changed; the caller then runs its ordinary statements). `stmts` may be plain INSERTs without
 * conflict handling: the plan was computed under the sync lock, so the pairs are new unless Airflow
 * itself added one since, and then the unique key fails the statement and the savepoint undoes it.
 * Call inside the sync's transaction, after the rows the grants reference exist.
 */
export async function insertGrantsBulk(
  tx: Db,
  rows: number,
  stmts: () => Stmt[],
  opts: { minRows?: number; run?: (st: Stmt) => Promise<RunResult> } = {},
): Promise<number[] | null> {
  if (tx.dialect !== 'postgres' || rows < (opts.minRows ?? BULK_MIN_GRANTS)) return null;
  const run = opts.run ?? ((st: Stmt) => tx.run(st.sql, st.params));
  const keys = await tx.query<{ name: string; def: string; valid: boolean; comment: string | null; alterable: boolean; wait: string }>(
    `SELECT quote_ident(c.conname) AS name, pg_get_constraintdef(c.oid) AS def, c.convalidated AS valid,
            obj_description(c.oid, 'pg_constraint') AS comment, pg_has_role(t.relowner, 'USAGE') AS alterable,
            current_setting('lock_timeout') AS wait
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE c.conrelid = to_regclass(?) AND c.contype = 'f' ORDER BY c.conname`,
    [TABLE],
  );
  const fks: ForeignKey[] = keys.map((k) => ({ name: String(k.name), def: String(k.def), valid: k.valid === true, comment: k.comment, alterable: k.alterable === true }));
  if (!fks.length || fks.some((k) => !k.valid || k.comment !== null || !k.alterable)) return null;
  await tx.run(`SAVEPOINT ${SAVEPOINT}`);
  const inserted: number[] = [];
  try {
    // Wait for the table at most LOCK_WAIT (or the transaction's own lock timeout when shorter), then restore it.
    const wait = String(keys[0].wait);
    await tx.run(`SELECT set_config('lock_timeout', CASE WHEN CAST(? AS interval) > interval '0' AND CAST(? AS interval) < interval '${LOCK_WAIT}' THEN ? ELSE '${LOCK_WAIT}' END, true)`, [wait, wait, wait]);
    await tx.run(`ALTER TABLE ${TABLE} ${fks.map((k) => `DROP CONSTRAINT ${k.name}`).join(', ')}`);
    await tx.run(`SELECT set_config('lock_timeout', ?, true)`, [wait]);
    for (const stmt of stmts()) inserted.push((await run(stmt)).changes);
  } catch {
    // Typically lock_timeout (the webserver held the table) or a pair that exists already.
    await tx.run(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    return null;
  }
  await tx.run(`RELEASE SAVEPOINT ${SAVEPOINT}`);
  await tx.run(`ALTER TABLE ${TABLE} ${fks.map((k) => `ADD CONSTRAINT ${k.name} ${k.def}`).join(', ')}`);
  return inserted;
}

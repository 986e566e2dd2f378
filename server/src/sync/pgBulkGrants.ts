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
 *
 * Grants by ids are sent as a COPY when the table's id column fills itself (a default or an
 * identity, as in every Airflow-created table): COPY inserts rows a page at a time, about a
 * quarter faster than INSERT ... SELECT at 60,000 rows. Otherwise, and for grants by names, the
 * plain INSERT runs.
 */
import { dialectFor } from '../db/dialects';
import type { Db, RunResult } from '../db/types';
import { copyGrantsById, type IdPairs } from './idStatements';
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

/** One grant insert of the bulk path. */
export interface BulkInsert {
  /** The INSERT without conflict handling (built only when it runs). */
  stmt: () => Stmt;
  /** The same grants by ids: sent as a COPY instead when the id column fills itself. */
  pairs?: IdPairs;
}

interface KeyRow {
  name: string;
  def: string;
  valid: boolean;
  comment: string | null;
  alterable: boolean;
  wait: string;
  fills: boolean;
}

/** The bulk path of one sync, once its catalog read is on its way (see `bulkGrants`). */
export interface BulkGrants {
  /**
   * Run the grant `inserts` (each started through `opts.send`) with the keys dropped, then add the
   * keys back; returns the rows each insert added, or null when the path stepped aside (nothing is
   * left changed; the caller then runs its ordinary statements). The inserts have no conflict
   * handling: the plan was computed under the sync lock, so the pairs are new unless Airflow itself
   * added one since, and then the unique key fails the insert and the savepoint undoes it.
   */
  insert(inserts: () => BulkInsert[], opts?: { send?: (start: () => Promise<RunResult>) => Promise<RunResult> }): Promise<number[] | null>;
}

/**
 * The bulk path for `rows` new grants, or null when it does not apply (not PostgreSQL, too few
 * rows). Sends its catalog read (the grant table's keys) at once, so the server answers it while
 * the caller prepares the writes. Call inside the sync's transaction; run `insert` after the rows
 * the grants reference exist.
 */
export function bulkGrants(tx: Db, rows: number, minRows = BULK_MIN_GRANTS): BulkGrants | null {
  if (dialectFor(tx.dialect).bulkGrants !== 'drop-keys-and-copy' || rows < minRows) return null;
  const keys = tx.query<KeyRow & Record<string, unknown>>(
    `SELECT quote_ident(c.conname) AS name, pg_get_constraintdef(c.oid) AS def, c.convalidated AS valid,
            obj_description(c.oid, 'pg_constraint') AS comment, pg_has_role(t.relowner, 'USAGE') AS alterable,
            current_setting('lock_timeout') AS wait,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attname = 'id' AND NOT a.attisdropped
                       AND (a.atthasdef OR a.attidentity <> '')) AS fills
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE c.conrelid = to_regclass(?) AND c.contype = 'f' ORDER BY c.conname`,
    [TABLE],
  );
  keys.catch(() => undefined); // awaited by `insert`; a sync that fails before it must not leave it unhandled
  return { insert: (inserts, opts = {}) => insertKeysDropped(tx, keys, inserts, opts.send ?? ((start) => start())) };
}

/** `bulkGrants(tx, rows, opts.minRows)?.insert(inserts, opts)`, or null. */
export async function insertGrantsBulk(
  tx: Db,
  rows: number,
  inserts: () => BulkInsert[],
  opts: { minRows?: number; send?: (start: () => Promise<RunResult>) => Promise<RunResult> } = {},
): Promise<number[] | null> {
  const bulk = bulkGrants(tx, rows, opts.minRows);
  return bulk ? bulk.insert(inserts, opts) : null;
}

async function insertKeysDropped(
  tx: Db,
  keyRows: Promise<KeyRow[]>,
  inserts: () => BulkInsert[],
  send: (start: () => Promise<RunResult>) => Promise<RunResult>,
): Promise<number[] | null> {
  const keys = await keyRows;
  const fks: ForeignKey[] = keys.map((k) => ({ name: String(k.name), def: String(k.def), valid: k.valid === true, comment: k.comment, alterable: k.alterable === true }));
  if (!fks.length || fks.some((k) => !k.valid || k.comment !== null || !k.alterable)) return null;
  await tx.run(`SAVEPOINT ${SAVEPOINT}`);
  const inserted: number[] = [];
  try {
    // Wait for the table at most LOCK_WAIT (or the transaction's own lock timeout when shorter),
    // then restore it. Sent together; the inserts are prepared while the server runs them.
    const wait = String(keys[0].wait);
    const dropped = [
      tx.run(`SELECT set_config('lock_timeout', CASE WHEN CAST(? AS interval) > interval '0' AND CAST(? AS interval) < interval '${LOCK_WAIT}' THEN ? ELSE '${LOCK_WAIT}' END, true)`, [wait, wait, wait]),
      tx.run(`ALTER TABLE ${TABLE} ${fks.map((k) => `DROP CONSTRAINT ${k.name}`).join(', ')}`),
      tx.run(`SELECT set_config('lock_timeout', ?, true)`, [wait]),
    ];
    dropped.forEach((p) => p.catch(() => undefined));
    const copy = keys[0].fills === true && !!tx.copyFrom;
    const starts = inserts().map((ins): (() => Promise<RunResult>) => {
      if (copy && ins.pairs) {
        const c = copyGrantsById(ins.pairs);
        return () => tx.copyFrom!(c.sql, c.data);
      }
      const st = ins.stmt();
      return () => tx.run(st.sql, st.params);
    });
    for (const p of dropped) await p;
    for (const start of starts) inserted.push((await send(start)).changes);
  } catch {
    // Typically lock_timeout (the webserver held the table) or a pair that exists already.
    await tx.run(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    return null;
  }
  await tx.run(`RELEASE SAVEPOINT ${SAVEPOINT}`);
  await tx.run(`ALTER TABLE ${TABLE} ${fks.map((k) => `ADD CONSTRAINT ${k.name} ${k.def}`).join(', ')}`);
  return inserted;
}

/** Full table dumps (every row of every table, sorted) to prove which rows an apply changed. */
import type { Db } from '../../server/src/db/types';

export type Dump = Map<string, string[]>;

async function tables(db: Db): Promise<string[]> {
  const sql =
    db.dialect === 'sqlite'
      ? "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : db.dialect === 'postgres'
        ? 'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = \'BASE TABLE\''
        : "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'";
  return (await db.query<{ t: string }>(sql)).map((r) => String(r.t)).sort();
}

export async function dumpAll(db: Db, opts: { exclude?: string[] } = {}): Promise<Dump> {
  const out: Dump = new Map();
  for (const t of await tables(db)) {
    if (opts.exclude?.includes(t)) continue;
    const q = db.dialect === 'mysql' ? `\`${t}\`` : `"${t}"`;
    const rows = await db.query(`SELECT * FROM ${q}`);
    out.set(t, rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort());
  }
  return out;
}

/** Rows present in `a` and not in `b`, per table. */
export function diffDumps(a: Dump, b: Dump): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [t, rows] of a) {
    const other = new Set(b.get(t) ?? []);
    const only = rows.filter((r) => !other.has(r));
    if (only.length) out.set(t, only);
  }
  return out;
}

/**
 * SQLite: JSON rows through `json_each`, `INSERT OR IGNORE`, `BEGIN IMMEDIATE` as the lock (the
 * database is one file: its write lock serializes syncs), BINARY names, and the single-statement
 * state read whose fingerprint is SQLite's own change counters.
 */
import type { SqlDialect } from './types';

export const sqlite: SqlDialect = {
  name: 'sqlite',
  product: 'SQLite',
  planTitle: 'SQLite',
  sqlAlchemyName: 'sqlite',

  urlSchemes: ['sqlite'],
  server: null,

  explicitIds: false,
  scriptIdExpr: () => null,
  jsonRows: (cols) => `(SELECT ${cols.map((_, i) => `json_extract(e.value, '$[${i}]') AS c${i}`).join(', ')} FROM json_each(?) AS e) AS x`,
  idPairRows: (pv, role) => ({
    src: `(SELECT json_extract(e.value, '$[0]') AS pv, json_extract(e.value, '$[1]') AS r FROM json_each(?) AS e) AS x`,
    params: [JSON.stringify(pv.map((p, i) => [p, role[i]]))],
  }),
  nameEquals: (col, x) => `${col} = ${x}`,
  insertOrSkip: 'INSERT OR IGNORE INTO',
  skipConflicts: () => '',
  deleteWhereIdIn: (table, ids) => `DELETE FROM ${table} WHERE id IN (${ids})`,
  deleteJoined: (table, alias, from, on) => `DELETE FROM ${table} WHERE id IN (SELECT ${alias}.id FROM ${from} JOIN ${table} ${alias} ON ${on})`,
  deleteMatching: (table, alias, src, on) => `DELETE FROM ${table} WHERE id IN (SELECT ${alias}.id FROM ${src} JOIN ${table} ${alias} ON ${on})`,
  stringLiteral: (s) => `'${s.replace(/'/g, "''")}'`,

  script: { runWith: 'sqlite3 -bail /path/to/airflow.db < this.sql', begin: ['BEGIN IMMEDIATE;'], end: ['COMMIT;'] },
  // Airflow's session on SQLite holds the file's write lock once it writes.
  sessionLock: ['', ''],

  listTablesSql: "SELECT name AS t FROM sqlite_master WHERE type = 'table'",
  columnsSql: (marks) => `SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name IN (${marks})`,
  firstRow: (sql) => `${sql} LIMIT 1`,
  writeDetails: async () => ({ idExpr: {}, nameTypes: {} }),
  stateAggregates: {
    jsonArray: (col) => `json_group_array(${col})`,
    intList: (col) => `json_group_array(${col})`,
    intTriples: (cols) => `json_group_array(json_array(${cols.join(', ')}))`,
    intFormat: 'json',
    nullText: 'NULL',
    // PRAGMA data_version changes when any OTHER connection commits; total_changes() counts this connection's writes.
    fingerprint: { kind: 'counters', exprs: ['(SELECT data_version FROM pragma_data_version)', '(SELECT schema_version FROM pragma_schema_version)', 'total_changes()'] },
  },
  roleNames: 'code-points',
  bulkGrants: 'none',

  demoDdl: { id: 'id INTEGER NOT NULL', tableTail: '', stringId: (n) => `VARCHAR(${n})`, bool: 'BOOLEAN', timestamp: 'TIMESTAMP', longKeyPrefix: '' },
};

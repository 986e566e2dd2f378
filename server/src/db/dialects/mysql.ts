/**
 * MySQL and MariaDB: JSON rows through `JSON_TABLE` (its columns typed like the `name` columns, so
 * indexes stay usable), `INSERT IGNORE`, names compared exactly with `BINARY` on top of the usual
 * case-insensitive collation, multi-table DELETE (MySQL cannot read the table it deletes from in a
 * subquery), the session lock `GET_LOCK`, and a row-by-row state read (no fingerprint).
 */
import { SYNC_LOCK_NAME } from '../types';
import type { SqlDialect, WriteDetails } from './types';

const literal = (s: string) => `'${s.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;

export const mysql: SqlDialect = {
  name: 'mysql',
  product: 'MySQL',
  planTitle: 'MySQL/MariaDB',
  sqlAlchemyName: 'mysql',

  urlSchemes: ['mysql', 'mariadb'],
  server: {
    defaultPort: 3306,
    defaultUser: () => 'root',
    tlsAndOptions(params) {
      if (!(params.ssl_ca || params['ssl-mode'] || params.ssl_mode)) return { tls: null };
      const tls = { mode: 'verify-full' as const, rootCert: params.ssl_ca, cert: params.ssl_cert, key: params.ssl_key };
      return { tls: /^(required|require|preferred)$/i.test(params['ssl-mode'] ?? params.ssl_mode ?? '') ? { ...tls, mode: 'require' } : tls };
    },
  },

  explicitIds: false,
  scriptIdExpr: () => null,
  jsonRows: (cols) => `JSON_TABLE(?, '$[*]' COLUMNS (${cols.map((c, i) => `c${i} ${c.int ? 'INT' : c.nameType} PATH '$[${i}]'`).join(', ')})) AS x`,
  idPairRows: (pv, role) => ({ src: `JSON_TABLE(?, '$[*]' COLUMNS (pv BIGINT PATH '$[0]', r BIGINT PATH '$[1]')) AS x`, params: [JSON.stringify(pv.map((p, i) => [p, role[i]]))] }),
  // The usual collations are case-insensitive and PAD SPACE; BINARY makes the match exact, the plain `=` keeps the index.
  nameEquals: (col, x) => `${col} = ${x} AND BINARY ${col} = BINARY ${x}`,
  insertOrSkip: 'INSERT IGNORE INTO',
  skipConflicts: () => '',
  // A derived table forces materialisation of the ids before the delete reads the same table.
  deleteWhereIdIn: (table, ids) => `DELETE FROM ${table} WHERE id IN (SELECT id FROM (${ids}) AS d)`,
  deleteJoined: (table, alias, from, on) => `DELETE ${alias} FROM ${from} JOIN ${table} ${alias} ON ${on}`,
  deleteMatching: (table, alias, src, on) => `DELETE ${alias} FROM ${src} JOIN ${table} ${alias} ON ${on}`,
  // Backslash is an escape in MySQL string literals unless NO_BACKSLASH_ESCAPES is set.
  stringLiteral: literal,

  script: {
    runWith: 'mysql --default-character-set=utf8mb4 < this.sql (MariaDB: mariadb; the client stops at the first error)',
    // Names are sent as utf8mb4 whatever the client's default character set (utf8mb3 or latin1 would
    // refuse or mangle a 4-byte character such as an emoji in a role name).
    begin: ['SET NAMES utf8mb4;', `SELECT GET_LOCK(${literal(SYNC_LOCK_NAME)}, 60);`, 'START TRANSACTION;'],
    end: ['COMMIT;', `SELECT RELEASE_LOCK(${literal(SYNC_LOCK_NAME)});`],
  },
  sessionLock: [`SELECT GET_LOCK('${SYNC_LOCK_NAME}', 60)`, `SELECT RELEASE_LOCK('${SYNC_LOCK_NAME}')`],

  listTablesSql: 'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()',
  columnsSql: (marks) => `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name IN (${marks})`,
  firstRow: (sql) => `${sql} LIMIT 1`,
  writeDetails: async (db, { fab }) => ({ idExpr: {}, nameTypes: fab ? await nameTypes(db) : {} }),
  stateAggregates: null,
  roleNames: 'collation',
  bulkGrants: 'none',

  demoDdl: {
    id: 'id INTEGER NOT NULL AUTO_INCREMENT',
    tableTail: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci',
    // Airflow's StringID on MySQL: case-sensitive utf8mb3_bin for ids.
    stringId: (n) => `VARCHAR(${n}) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin`,
    bool: 'TINYINT(1)',
    timestamp: 'TIMESTAMP(6) NULL',
    longKeyPrefix: '(191)',
  },
};

/** `VARCHAR(n) CHARACTER SET cs COLLATE co` of each `name` column. */
async function nameTypes(db: Parameters<SqlDialect['writeDetails']>[0]): Promise<WriteDetails['nameTypes']> {
  const rows = await db.query<{ t: string; n: unknown; cs: string | null; co: string | null }>(
    `SELECT table_name AS t, character_maximum_length AS n, character_set_name AS cs, collation_name AS co
       FROM information_schema.columns
      WHERE table_schema = DATABASE() AND column_name = 'name' AND table_name IN ('ab_role', 'ab_permission', 'ab_view_menu')`,
  );
  const out: WriteDetails['nameTypes'] = {};
  for (const r of rows) {
    if (!r.cs || !r.co || !/^[a-z0-9_]+$/i.test(r.cs + r.co)) continue;
    out[String(r.t).toLowerCase()] = `VARCHAR(${Number(r.n) || 250}) CHARACTER SET ${r.cs} COLLATE ${r.co}`;
  }
  return out;
}

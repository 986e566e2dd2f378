/**
 * PostgreSQL: JSON rows through `json_array_elements`, id pairs through `unnest` of two bigint
 * arrays, `ON CONFLICT (key) DO NOTHING`, explicit `nextval` ids (Airflow's FAB ORM uses a
 * client-side Sequence with no server default), the transaction-scoped advisory lock, and the
 * single-statement state read with a content fingerprint.
 */
import { DbError } from '../errors';
import { PG_ADVISORY_KEY } from '../types';
import type { SqlDialect, UrlSslMode, WriteDetails } from './types';

const SSL_MODES: readonly UrlSslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export const postgres: SqlDialect = {
  name: 'postgres',
  product: 'PostgreSQL',
  planTitle: 'PostgreSQL',
  sqlAlchemyName: 'postgresql',

  urlSchemes: ['postgresql', 'postgres'],
  server: {
    defaultPort: 5432,
    defaultUser: (env) => env.PGUSER || env.USER || 'postgres',
    tlsAndOptions(params, shownUrl) {
      const mode = (params.sslmode ?? '').toLowerCase();
      if (mode && !SSL_MODES.includes(mode as UrlSslMode)) throw new DbError('bad-url', `Unknown sslmode "${params.sslmode}" in ${shownUrl}.`);
      const tls = mode || params.sslrootcert || params.sslcert ? { mode: (mode || 'verify-full') as UrlSslMode, rootCert: params.sslrootcert, cert: params.sslcert, key: params.sslkey } : null;
      return params.options ? { tls, pgOptions: params.options } : { tls };
    },
  },

  explicitIds: true,
  scriptIdExpr: (table) => `nextval('${table}_id_seq')`,
  jsonRows: (cols) =>
    `(SELECT ${cols.map((c, i) => (c.int ? `(e->>${i})::int AS c${i}` : `e->>${i} AS c${i}`)).join(', ')} FROM json_array_elements(CAST(? AS json)) AS e) AS x`,
  idPairRows: (pv, role) => ({ src: 'unnest(CAST(? AS bigint[]), CAST(? AS bigint[])) AS x(pv, r)', params: [`{${pv.join(',')}}`, `{${role.join(',')}}`] }),
  nameEquals: (col, x) => `${col} = ${x}`,
  insertOrSkip: 'INSERT INTO',
  skipConflicts: (key) => ` ON CONFLICT (${key}) DO NOTHING`,
  deleteWhereIdIn: (table, ids) => `DELETE FROM ${table} WHERE id IN (${ids})`,
  deleteJoined: (table, alias, from, on) => `DELETE FROM ${table} WHERE id IN (SELECT ${alias}.id FROM ${from} JOIN ${table} ${alias} ON ${on})`,
  deleteMatching: (table, alias, src, on) => `DELETE FROM ${table} ${alias} USING ${src} WHERE ${on}`,
  // standard_conforming_strings is on by default since 9.1; E'' would change the meaning.
  stringLiteral: (s) => `'${s.replace(/'/g, "''")}'`,

  script: {
    runWith: 'psql -v ON_ERROR_STOP=1 -f this.sql',
    begin: ['BEGIN;', `SELECT pg_advisory_xact_lock(${PG_ADVISORY_KEY});`],
    end: ['COMMIT;'],
  },
  sessionLock: [`SELECT pg_advisory_xact_lock(${PG_ADVISORY_KEY})`, ''],

  listTablesSql: 'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()',
  columnsSql: (marks) => `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name IN (${marks})`,
  firstRow: (sql) => `${sql} LIMIT 1`,
  writeDetails: async (db, { idTables }) => ({ idExpr: await idExpressions(db, idTables), nameTypes: {} }),
  stateAggregates: {
    jsonArray: (col) => `json_agg(${col})::text`,
    intList: (col) => `string_agg(${col}::text, ',')`,
    intTriples: (cols) => `string_agg(${cols.join(" || ',' || ")}, ',')`,
    intFormat: 'comma',
    nullText: 'NULL::text',
    fingerprint: { kind: 'content', md5Hex: (text) => `md5(coalesce(${text}, ''))` },
  },
  roleNames: 'code-points',
  bulkGrants: 'drop-keys-and-copy',

  // Tests and fixtures use real PostgreSQL dumps (or adapt the SQLite DDL).
  demoDdl: null,
};

/**
 * Airflow 2.x created FAB tables as SERIAL (default nextval), the FAB provider's ORM uses a client
 * side Sequence named `<table>_id_seq` with no server default. Writing `nextval('<seq>')` explicitly
 * works for both; the sequence comes from pg_get_serial_sequence or, failing that, the name.
 */
async function idExpressions(db: Parameters<SqlDialect['writeDetails']>[0], tables: readonly string[]): Promise<WriteDetails['idExpr']> {
  const marks = tables.map(() => '?').join(', ');
  const rows = await db.query<{ t: string; serial: string | null; named: string | null; dflt: string | null; ident: string | null }>(
    `SELECT c.table_name AS t, pg_get_serial_sequence(quote_ident(c.table_name), 'id') AS serial,
            to_regclass(quote_ident(c.table_name || '_id_seq'))::text AS named, c.column_default AS dflt, c.is_identity AS ident
       FROM information_schema.columns c
      WHERE c.table_schema = current_schema() AND c.column_name = 'id' AND c.table_name IN (${marks})`,
    [...tables],
  );
  const out: WriteDetails['idExpr'] = {};
  for (const r of rows) {
    const seq = r.serial ?? r.named;
    out[r.t] = seq ? `nextval('${seq.replace(/'/g, "''")}')` : null;
  }
  return out;
}

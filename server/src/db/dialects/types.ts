/**
 * Everything that differs between the SQL databases Airflow's metadata can live in, behind ONE
 * interface. The statement builders (sync/statements.ts, sync/idStatements.ts), the SQL script and
 * sync DAG generators, schema detection, the state reader and the URL parser ask the dialect of
 * their connection for these pieces and never branch on its name; adding a database means writing
 * one object of this type (see ./index.ts) plus a driver (`Db`, db/base.ts).
 *
 * `?` is the placeholder on every dialect (each driver translates it), so it is not a member here.
 */
import type { Db, Dialect } from '../types';

/** A column of a row source read from a bound JSON array: an integer, or a name compared with a `name` column. */
export interface JsonColumn {
  int: boolean;
  /** The SQL type for a name column (`VARCHAR(64)` or the column's own type with its collation), for dialects that declare one. */
  nameType: string;
}

/** The server facts detectSchema reads for the writer; the keys are table names. */
export interface WriteDetails {
  /** Per table, the expression for a new id (`nextval('<seq>')`), or null when the column fills itself. */
  idExpr: Partial<Record<string, string | null>>;
  /** Per name table, the `name` column's type with its character set and collation. */
  nameTypes: Partial<Record<string, string>>;
}

/** The single-statement state read (db/stateSql.ts): aggregates that fold a whole table into a few text values. */
export interface StateAggregates {
  /** A JSON array of a column's values. */
  jsonArray(col: string): string;
  /** The integers of a column as text: a comma list (`comma`) or a JSON array (`json`). */
  intList(col: string): string;
  /** Integer triples as text, flat: `a,b,c,a,b,c` (`comma`) or `[[a,b,c],...]` (`json`). */
  intTriples(cols: string[]): string;
  readonly intFormat: 'comma' | 'json';
  /** A NULL text value. */
  readonly nullText: string;
  /**
   * How the state's fingerprint is taken: `content` hashes what was read (md5 here, `md5Hex` of each
   * aggregate in SQL at apply time); `counters` reads the given change counters in the same statement.
   */
  readonly fingerprint: { kind: 'content'; md5Hex(text: string): string } | { kind: 'counters'; exprs: readonly string[] };
}

/** How the URL parser reads a server dialect's connection URL (db/url.ts). */
export interface ServerUrl {
  readonly defaultPort: number;
  defaultUser(env: NodeJS.ProcessEnv): string;
  /**
   * TLS and driver options from the query parameters; throws a `bad-url` DbError naming `shownUrl`
   * (already redacted) for a value it refuses.
   */
  tlsAndOptions(params: Record<string, string>, shownUrl: string): { tls: UrlTls | null; pgOptions?: string };
}

export type UrlSslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface UrlTls {
  mode: UrlSslMode;
  rootCert?: string;
  cert?: string;
  key?: string;
}

export interface SqlDialect {
  readonly name: Dialect;
  /** In connection labels and messages: `PostgreSQL`, `MySQL`, `SQLite`. */
  readonly product: string;
  /** In the plan text's first line: `MySQL/MariaDB`. */
  readonly planTitle: string;
  /** SQLAlchemy's name for it (`session.get_bind().dialect.name`), keys of the sync DAG's tables. */
  readonly sqlAlchemyName: string;

  // ---- Connection URL (db/url.ts)
  /** URL schemes (before any `+driver`) that select this dialect. */
  readonly urlSchemes: readonly string[];
  /** Host/port/user URL, or null for a database that is a file (`sqlite:////path`). */
  readonly server: ServerUrl | null;

  // ---- Writes (sync/statements.ts, sync/idStatements.ts)
  /** New rows name their id explicitly (PostgreSQL: the sequence Airflow's ORM calls itself). */
  readonly explicitIds: boolean;
  /** The id expression for a new row when no connection tells (SQL script, sync DAG), or null. */
  scriptIdExpr(table: string): string | null;
  /** Row source `x` with columns c0..cn-1 read from ONE bound JSON array parameter. */
  jsonRows(cols: readonly JsonColumn[]): string;
  /** Row source `x(pv, r)` for id pairs and its bound parameters (ids already checked to be safe integers). */
  idPairRows(pv: readonly number[], role: readonly number[]): { src: string; params: string[] };
  /** Exact (case-, accent- and space-sensitive) comparison of a name column with a value. */
  nameEquals(col: string, x: string): string;
  /** Verb of an INSERT that skips rows already present (`INSERT IGNORE INTO`), or `INSERT INTO` when `skipConflicts` does it. */
  readonly insertOrSkip: string;
  /**
   * Clause ending such an INSERT so that a row whose unique `key` (column list) exists is skipped
   * (` ON CONFLICT (key) DO NOTHING`), or '' when the verb already skips it. A dialect with a clause
   * targets the key itself, so its inserts by ids need no NOT EXISTS guard.
   */
  skipConflicts(key: string): string;
  /** DELETE the rows of `table` whose id the query `ids` selects (`SELECT id ...` reading `table` too). */
  deleteWhereIdIn(table: string, ids: string): string;
  /** DELETE the rows of `table` (alias `alias`) joined to `from` (a FROM list with joins) on `on`. */
  deleteJoined(table: string, alias: string, from: string, on: string): string;
  /** Like `deleteJoined` for a plain row source (`idPairRows`), where a dialect may have a cheaper form. */
  deleteMatching(table: string, alias: string, src: string, on: string): string;
  /** A string literal (standalone scripts only; statements sent to a server bind their values). */
  stringLiteral(s: string): string;

  // ---- SQL script and sync DAG (sync/formatSql.ts, sync/syncDag.ts)
  readonly script: {
    /** The command line that runs a script, stopping at the first error. */
    runWith: string;
    /** Lines that open the transaction and take the sync lock. */
    begin: readonly string[];
    /** Lines after the statements (COMMIT and any lock release). */
    end: readonly string[];
  };
  /** Statements that take and release the sync lock inside Airflow's session ('' for none). */
  readonly sessionLock: readonly [acquire: string, release: string];

  // ---- Reads (db/schema.ts, db/stateSql.ts)
  /** `SELECT <table name> AS t` over the tables of the current schema. */
  readonly listTablesSql: string;
  /** `SELECT <table> AS t, <column> AS c` for the tables bound to `marks` (`?, ?`). */
  columnsSql(marks: string): string;
  /** `sql` returning at most one row. */
  firstRow(sql: string): string;
  /** Facts the writer needs beyond the common schema (id sequences, name column types). */
  writeDetails(db: Db, tables: { fab: boolean; idTables: readonly string[] }): Promise<WriteDetails>;
  /** The single-statement state read, or null to read row by row (db/state.ts). */
  readonly stateAggregates: StateAggregates | null;
  /**
   * How `ab_role.name` compares: `code-points` (the key is the name), or `collation` (the column's
   * collation may call different names equal; sync/nameCollation.ts models it).
   */
  readonly roleNames: 'code-points' | 'collation';
  /** Large grant inserts: `drop-keys-and-copy` (sync/pgBulkGrants.ts) or none. */
  readonly bulkGrants: 'drop-keys-and-copy' | 'none';

  // ---- Demo and test databases (db/airflowSchema.ts)
  /** Column types of the project's own DDL for Airflow's tables, or null when there is none (fixture dumps instead). */
  readonly demoDdl: DemoDdlTypes | null;
}

export interface DemoDdlTypes {
  /** The `id` column definition. */
  id: string;
  /** After the closing parenthesis of CREATE TABLE. */
  tableTail: string;
  /** Airflow's StringID type (case-sensitive ids). */
  stringId(n: number): string;
  bool: string;
  timestamp: string;
  /** Index prefix after a long VARCHAR in a unique key (`(191)`), or ''. */
  longKeyPrefix: string;
}

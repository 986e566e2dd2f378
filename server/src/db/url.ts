/**
 * Parse the connection strings Airflow itself uses (`[database] sql_alchemy_conn`, SQLAlchemy URL
 * syntax). The password is taken, in order, from an explicit value (VS Code SecretStorage), the
 * `AIRFLOW_ACCESS_DB_PASSWORD` environment variable, then the URL itself; an inline password works
 * but is flagged so callers can warn, and `redactUrl` never shows it.
 */
import * as path from 'path';
import { DIALECTS, dialectFor } from './dialects';
import type { UrlSslMode, UrlTls } from './dialects/types';
import { DbError } from './errors';
import type { Dialect } from './types';

export const PASSWORD_ENV = 'AIRFLOW_ACCESS_DB_PASSWORD';
export const CONN_ENV = 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN';
/** Airflow < 2.3 kept the option under [core]. */
export const LEGACY_CONN_ENV = 'AIRFLOW__CORE__SQL_ALCHEMY_CONN';

export type PgSslMode = UrlSslMode;
export type PgTls = UrlTls;

export interface ServerTarget {
  dialect: 'postgres' | 'mysql';
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | null;
  /** The URL itself carried a password (works, but should move to SecretStorage / env). */
  inlinePassword: boolean;
  /** Where the password came from, for messages (never the value). */
  passwordSource: 'argument' | 'env' | 'url' | 'none';
  tls: PgTls | null;
  /** libpq `options` (e.g. `-csearch_path=airflow`), PostgreSQL only. */
  pgOptions?: string;
  /** Remaining query parameters, for reference. */
  params: Record<string, string>;
}

export interface SqliteTarget {
  dialect: 'sqlite';
  file: string;
  inlinePassword: false;
  params: Record<string, string>;
}

export type ConnectionTarget = ServerTarget | SqliteTarget;

/** URL scheme → dialect, from each dialect's own list. */
const SCHEMES: Record<string, Dialect> = Object.fromEntries(DIALECTS.flatMap((d) => dialectFor(d).urlSchemes.map((s) => [s, d])));
/** `postgresql, mysql or sqlite`: each dialect's main scheme. */
const SCHEME_CHOICES = DIALECTS.map((d) => dialectFor(d).urlSchemes[0]).join(', ').replace(/, ([^,]*)$/, ' or $1');

/** `user:secret@host` → `user:***@host`; safe on unparseable input too. */
export function redactUrl(url: string): string {
  const m = /^([a-z0-9+]+:\/\/)([^?#]*)(.*)$/i.exec(url);
  if (!m) return url.replace(/:[^:@/]*@/, ':***@');
  let [, scheme, main, query] = m;
  // The password may contain '/', ':' or even '@' when not URL-encoded: everything up to the last '@'.
  const at = main.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = main.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) main = `${userinfo.slice(0, colon)}:***${main.slice(at)}`;
  }
  query = query.replace(/([?&](?:password|passwd|sslpassword)=)[^&]*/gi, '$1***');
  return scheme + main + query;
}

/** The URL to use: the explicit one, else Airflow's own environment variables. */
export function resolveUrl(url: string | null | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const u = (url ?? '').trim() || env[CONN_ENV]?.trim() || env[LEGACY_CONN_ENV]?.trim() || '';
  if (!u) throw new DbError('bad-url', `No database URL: set airflowDagAccess.database.url or ${CONN_ENV}.`);
  return u;
}

export function parseConnectionUrl(
  rawUrl: string,
  opts: { password?: string | null; env?: NodeJS.ProcessEnv; baseDir?: string } = {},
): ConnectionTarget {
  const env = opts.env ?? process.env;
  const url = rawUrl.trim();
  const m = /^([a-z0-9]+)(?:\+([a-z0-9_]+))?:\/\/(.*)$/i.exec(url);
  if (!m) throw new DbError('bad-url', `Not a database URL: ${redactUrl(url)} (expected e.g. postgresql://user@host/airflow).`);
  const dialect = Object.hasOwn(SCHEMES, m[1].toLowerCase()) ? SCHEMES[m[1].toLowerCase()] : undefined;
  if (!dialect) throw new DbError('bad-url', `Unsupported database scheme "${m[1]}" in ${redactUrl(url)}; use ${SCHEME_CHOICES}.`);
  const rest = m[3];
  const server = dialectFor(dialect).server;
  if (!server) return parseSqlite(rest, url, opts.baseDir);

  const q = rest.indexOf('?');
  const main = q >= 0 ? rest.slice(0, q) : rest;
  const params = parseQuery(q >= 0 ? rest.slice(q + 1) : '');
  // userinfo ends at the LAST '@' (a raw password may contain '/', ':' or '@'); host/db follow it.
  const at = main.lastIndexOf('@');
  const userinfo = at >= 0 ? main.slice(0, at) : '';
  const afterAt = at >= 0 ? main.slice(at + 1) : main;
  const slash = afterAt.indexOf('/');
  const hostport = slash >= 0 ? afterAt.slice(0, slash) : afterAt;
  const database = decode(slash >= 0 ? afterAt.slice(slash + 1) : '');
  const colon = userinfo.indexOf(':');
  const user = decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo);
  const urlPassword = colon >= 0 ? decode(userinfo.slice(colon + 1)) : null;
  const { host, port } = splitHostPort(hostport, server.defaultPort, url);
  if (!database) throw new DbError('bad-url', `No database name in ${redactUrl(url)}.`);

  let password: string | null = null;
  let passwordSource: ServerTarget['passwordSource'] = 'none';
  if (opts.password != null && opts.password !== '') [password, passwordSource] = [opts.password, 'argument'];
  else if (env[PASSWORD_ENV]) [password, passwordSource] = [env[PASSWORD_ENV] as string, 'env'];
  else if (urlPassword !== null && urlPassword !== '') [password, passwordSource] = [urlPassword, 'url'];
  const pwParam = params.password;
  if (pwParam !== undefined && password === null) [password, passwordSource] = [pwParam, 'url'];
  delete params.password;

  const target: ServerTarget = {
    dialect: dialect as ServerTarget['dialect'],
    host: host || params.host || 'localhost',
    port,
    database,
    user: user || params.user || server.defaultUser(env),
    password,
    inlinePassword: (urlPassword !== null && urlPassword !== '') || pwParam !== undefined,
    passwordSource,
    tls: null,
    params,
  };
  const { tls, pgOptions } = server.tlsAndOptions(params, redactUrl(url));
  target.tls = tls;
  if (pgOptions) target.pgOptions = pgOptions;
  return target;
}

function parseSqlite(rest: string, url: string, baseDir?: string): SqliteTarget {
  const q = rest.indexOf('?');
  const p = q >= 0 ? rest.slice(0, q) : rest;
  const params = parseQuery(q >= 0 ? rest.slice(q + 1) : '');
  // sqlite:////abs/path.db → rest "//abs/path.db"... after the "://" the remainder starts with "/".
  if (!p.startsWith('/') || p === '/') throw new DbError('bad-url', `SQLite URL needs a file: sqlite:////absolute/path.db or sqlite:///relative.db (got ${url}).`);
  const after = decode(p.slice(1));
  // Windows: sqlite:///C:\airflow\airflow.db
  const file = path.isAbsolute(after) || /^[a-zA-Z]:[\\/]/.test(after) ? after : path.resolve(baseDir ?? process.cwd(), after);
  return { dialect: 'sqlite', file, inlinePassword: false, params };
}

function splitHostPort(hp: string, defaultPort: number, url: string): { host: string; port: number } {
  if (!hp) return { host: '', port: defaultPort };
  let host = hp;
  let portText = '';
  if (hp.startsWith('[')) {
    const end = hp.indexOf(']');
    host = hp.slice(1, end);
    portText = hp.slice(end + 1).replace(/^:/, '');
  } else if (hp.includes(':')) {
    [host, portText] = [hp.slice(0, hp.lastIndexOf(':')), hp.slice(hp.lastIndexOf(':') + 1)];
  }
  if (portText && !/^\d{1,5}$/.test(portText)) throw new DbError('bad-url', `Bad port "${portText}" in ${redactUrl(url)}.`);
  return { host: decode(host), port: portText ? Number(portText) : defaultPort };
}

function parseQuery(q: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of q.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    out[decode(eq >= 0 ? part.slice(0, eq) : part, true)] = decode(eq >= 0 ? part.slice(eq + 1) : '', true);
  }
  return out;
}

function decode(s: string, plusIsSpace = false): string {
  try {
    return decodeURIComponent(plusIsSpace ? s.replace(/\+/g, '%20') : s);
  } catch {
    return s;
  }
}

/** A database that is a file (no host, user or TLS). */
export function isFileTarget(t: ConnectionTarget): t is SqliteTarget {
  return dialectFor(t.dialect).server === null;
}

/** Short label for messages: `PostgreSQL root@db.example:5432/airflow` or the SQLite file. */
export function targetLabel(t: ConnectionTarget): string {
  if (isFileTarget(t)) return t.file;
  return `${dialectFor(t.dialect).product} ${t.user}@${t.host}:${t.port}/${t.database}`;
}

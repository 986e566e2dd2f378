/**
 * Where the database comes from (`--db`, else AIRFLOW__DATABASE__SQL_ALCHEMY_CONN) and its password
 * (`--password-env NAME`, else AIRFLOW_ACCESS_DB_PASSWORD, else the URL itself), and masking of the
 * password in every URL the CLI prints.
 */
import { type OptionSpec, type ParsedArgs, UsageError, str } from './args';
import * as path from 'path';
import { DbError } from '../db/errors';
import { readTlsFiles } from '../db/tlsFiles';
import { isFileTarget, parseConnectionUrl, redactUrl as redactDbUrl } from '../db/url';

export const DB_OPTIONS: OptionSpec[] = [
  {
    name: 'db',
    type: 'string',
    valueName: 'URL',
    description: 'metadata DB: postgresql://, mysql://, sqlite:////abs/path.db (default: $AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)',
  },
  {
    name: 'password-env',
    type: 'string',
    valueName: 'NAME',
    description: 'environment variable holding the DB password (default: AIRFLOW_ACCESS_DB_PASSWORD)',
  },
  {
    name: 'lock-timeout',
    type: 'string',
    valueName: 'SECONDS',
    description: 'how long to wait for another sync or Airflow to let go of the database before giving up (default: 30)',
  },
];

/** `--lock-timeout SECONDS` in milliseconds (default 30 s). */
export function lockTimeoutMs(args: ParsedArgs): number {
  const given = str(args, 'lock-timeout');
  if (given === undefined) return 30_000;
  const secs = Number(given);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(given) || !Number.isFinite(secs) || secs > 86_400) {
    throw new UsageError(`--lock-timeout ${given}: give a number of seconds between 0 and 86400`);
  }
  return Math.round(secs * 1000);
}

/**
 * Mask the password of every URL in the text (passwords may hold '/', ':' or '@'). Only URLs are
 * touched: messages are built without the password, and rewriting its text wherever it occurs would
 * change unrelated words (a password "wrong" turned "wrong user or password" into "*** user or
 * password") and so tell the password.
 */
export function redactSecrets(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, (u) => redactDbUrl(u));
}

/** The URL as it may be shown to a person. */
export function redactUrl(url: string): string {
  return redactSecrets(url);
}

/** The warning printed when the password is part of the URL. */
export const INLINE_PASSWORD_WARNING =
  'the database password is written inline in the URL, where shell history and process lists can see it; ' +
  'put it in AIRFLOW_ACCESS_DB_PASSWORD (or --password-env NAME) instead';

export interface DbTarget {
  url: string;
  password?: string;
  /** Safe to print. */
  display: string;
  /** The password was written inside the --db URL (visible in shell history and process lists). */
  inlinePassword: boolean;
}

export function resolveDb(args: ParsedArgs, env: NodeJS.ProcessEnv, required = true, cwd = process.cwd()): DbTarget | undefined {
  const given = str(args, 'db') ?? env.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN;
  // A relative SQLite path (sqlite:///airflow.db) is relative to where the command runs, for every command.
  const url = given && /^sqlite:\/\/\/(?!\/)/i.test(given) ? `sqlite:///${path.resolve(cwd, given.slice('sqlite:///'.length))}` : given;
  if (!url) {
    if (!required) return undefined;
    throw new UsageError('needs --db URL (or AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)');
  }
  lockTimeoutMs(args); // a bad --lock-timeout is a usage error before any work
  const passwordEnv = str(args, 'password-env');
  if (passwordEnv !== undefined && env[passwordEnv] === undefined) {
    throw new UsageError(`--password-env ${passwordEnv}: that environment variable is not set`);
  }
  const password = passwordEnv !== undefined ? env[passwordEnv] : env.AIRFLOW_ACCESS_DB_PASSWORD;
  const inUrl = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(url);
  checkUrl(url, str(args, 'db') !== undefined ? '--db' : 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN', env, cwd);
  // Inside an Airflow container AIRFLOW__DATABASE__SQL_ALCHEMY_CONN carries the password by design: warn only for --db.
  return { url, password: password || undefined, display: redactUrl(url), inlinePassword: inUrl !== null && str(args, 'db') !== undefined };
}

/** What parseConnectionUrl accepts as the start of a URL: `scheme://` or `scheme+driver://`. */
const URL_SHAPE = /^[a-z0-9]+(?:\+[a-z0-9_]+)?:\/\//i;

/**
 * A malformed URL (or an unreadable TLS file it names) is the user's input, so it is a usage error found
 * before any work, not a failure after connecting. The URL in a message is shown with its password masked.
 */
function checkUrl(url: string, source: string, env: NodeJS.ProcessEnv, cwd: string): void {
  // Something that is not a URL at all may be a password pasted into the wrong place: never echo it.
  if (!URL_SHAPE.test(url.trim())) {
    throw new UsageError(`${source}: not a database URL (expected e.g. postgresql://user@host/airflow or sqlite:////abs/path.db; the value is not shown, in case it is a secret)`);
  }
  try {
    const target = parseConnectionUrl(url, { env, baseDir: cwd });
    if (!isFileTarget(target) && target.tls) readTlsFiles(target.tls);
  } catch (e) {
    if (e instanceof DbError && e.code === 'bad-url') throw new UsageError(`${source}: ${redactSecrets(e.message)}`);
    throw e;
  }
}

/** The sqlite:/// URL of a file (four slashes before an absolute POSIX path). */
export function sqliteUrlFor(file: string): string {
  return `sqlite:///${file}`;
}

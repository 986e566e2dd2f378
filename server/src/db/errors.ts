/**
 * One-line, password-free database errors. Driver errors carry stacks, SQL and sometimes the
 * connection string; everything the user sees goes through `toDbError` first.
 */

export type DbErrorCode =
  | 'bad-url'
  | 'auth'
  | 'tls'
  | 'unreachable'
  | 'no-database'
  | 'missing-file'
  | 'read-only'
  | 'lock-timeout'
  | 'connection-lost'
  | 'no-fab-tables'
  | 'not-airflow'
  | 'state-changed'
  | 'aborted'
  | 'snapshot'
  | 'unsupported'
  | 'query';

export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
  ) {
    super(oneLine(message));
    this.name = 'DbError';
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Mask the password of a connection URL a driver message may quote (`//user:pass@`, `?password=`).
 * Nothing else is rewritten: replacing the password's text wherever it occurs would change unrelated
 * words (a password "wrong" or "MySQL") and so tell the password.
 */
export function scrubSecrets(message: string): string {
  return message.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@').replace(/([?&](?:password|passwd|sslpassword)=)[^&\s]*/gi, '$1***');
}

/**
 * The driver's own text, as it may be quoted in a message. Drivers do not echo the password; should one
 * ever do so, the text is left out whole rather than edited (short passwords are ordinary words, too
 * common to tell apart from the rest of the message).
 */
function driverText(message: string, secrets: readonly (string | null | undefined)[]): string {
  const text = scrubSecrets(message).split('\n')[0];
  return secrets.some((s) => s && s.length >= 6 && text.includes(s)) ? "(the driver's message is not shown: it quoted a connection setting)" : text;
}

const UNVERIFIED_CERT = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE']);

/** A TLS failure (certificate, host name, server without TLS, server that demands TLS) said in terms of the URL's ssl parameters. */
function tlsProblem(code: string, raw: string, target: string): string | null {
  if (UNVERIFIED_CERT.has(code)) {
    return `TLS: cannot verify the certificate of ${target} (${raw}). Give the CA that signed it with sslrootcert=/path/to/ca.pem, or use sslmode=require to encrypt without verifying.`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return `TLS: the certificate of ${target} is not valid now (${raw}).`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `TLS: the certificate of ${target} does not name that host (${raw}). sslmode=verify-full checks the host name: connect with a name the certificate lists, or use sslmode=verify-ca to check only the CA.`;
  }
  if (/server does not support SSL/i.test(raw)) return `TLS: ${target} does not accept TLS connections, but the URL's sslmode requires TLS. Use sslmode=prefer or disable, or turn on ssl on the server.`;
  if (code === '28000' && /no encryption/i.test(raw)) {
    return `TLS: ${target} accepts this user only over TLS (${raw}). Remove sslmode=disable, or use sslmode=verify-full with sslrootcert=/path/to/ca.pem.`;
  }
  return null;
}

/** MySQL/MariaDB 1044: the password was right, the database is not reachable for this user (never "wrong password"). */
const noAccess = (target: string) =>
  `No access to the database of ${target}: the user and password were accepted, but the user has no rights on this database, or it does not exist. Grant the user rights on it, or check the database name in the URL.`;

interface DriverError {
  code?: string | number;
  errno?: number;
  message?: string;
  sqlMessage?: string;
}

/**
 * Map a driver error to a DbError with one clear line. `target` is the redacted label
 * (host:port/db or file); a driver text that quotes one of `secrets` is not echoed.
 */
export function toDbError(err: unknown, target: string, secrets: readonly (string | null | undefined)[] = []): DbError {
  if (err instanceof DbError) return err;
  const e = (err ?? {}) as DriverError;
  const code = e.code === undefined ? '' : String(e.code);
  const raw = driverText(String(e.sqlMessage ?? e.message ?? err), secrets);
  const msg = (code: DbErrorCode, text: string) => new DbError(code, text);
  if (err instanceof Error && err.name === 'AbortError') return msg('aborted', 'Sync cancelled; nothing was changed.');
  const tls = tlsProblem(code, raw, target);
  if (tls) return msg('tls', tls);
  switch (code) {
    case '28000':
      // pg_hba.conf has no line for this host, user, database and encryption: not a password problem.
      return msg('auth', `${target} refused the connection: ${raw}`);
    case '28P01':
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return msg('auth', `Authentication failed for ${target}: wrong user or password.`);
    case 'ECONNREFUSED':
      return msg('unreachable', `Cannot reach ${target}: connection refused (is the database running and the port right?).`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return msg('unreachable', `Cannot reach ${target}: host name not found.`);
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return msg('unreachable', `Cannot reach ${target}: ${code === 'ETIMEDOUT' ? 'connection timed out' : code}.`);
    case 'ER_DBACCESS_DENIED_ERROR':
      // MariaDB also answers 1044 for a database that does not exist when the user may not see it.
      return msg('no-database', noAccess(target));
    case '3D000':
    case 'ER_BAD_DB_ERROR':
      return msg('no-database', `Database does not exist on ${target}.`);
    case '57P01':
    case '57P02':
    case '57P03':
    case 'PROTOCOL_CONNECTION_LOST':
    case 'ER_CONNECTION_KILLED':
    case 'EPIPE':
      return msg('connection-lost', `Connection to ${target} was lost; the transaction was rolled back by the server.`);
    case '55P03':
    case 'ER_LOCK_WAIT_TIMEOUT':
      return msg('lock-timeout', `Timed out waiting for a lock on ${target}; another sync or Airflow is writing. Try again.`);
    case '25006':
    case '42501':
      return msg('read-only', `No write permission on ${target}: ${raw}`);
  }
  if (e.errno === 1044 || /^Access denied for user .* to database /i.test(raw))
    return msg('no-database', noAccess(target));
  if (/^Access denied for user/i.test(raw) || e.errno === 1045 || e.errno === 1698)
    return msg('auth', `Authentication failed for ${target}: wrong user or password.`);
  if (/timeout expired|Connection terminated due to connection timeout|connect ETIMEDOUT/i.test(raw))
    return msg('unreachable', `Cannot reach ${target}: connection timed out.`);
  if (/Connection terminated|connection.*closed|Can't add new command when connection is in closed state|terminating connection/i.test(raw))
    return msg('connection-lost', `Connection to ${target} was lost; the transaction was rolled back by the server.`);
  if (/database is locked|SQLITE_BUSY/i.test(raw))
    return msg('lock-timeout', `Timed out waiting for the lock on ${target}; another sync or Airflow is writing. Try again.`);
  if (/readonly database|read-only|SQLITE_READONLY/i.test(raw)) return msg('read-only', `${target} is read-only; cannot write to it.`);
  if (/unable to open database/i.test(raw)) return msg('missing-file', `Cannot open SQLite database ${target}.`);
  return msg('query', `Database error on ${target}: ${raw}`);
}

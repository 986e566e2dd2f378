/**
 * A throw-away PostgreSQL cluster that behaves like a production one: TLS on (a test CA and a server
 * certificate for "localhost" only), password authentication (SCRAM), and no unencrypted TCP
 * connections. The machine's own server trusts every local connection, so TLS and wrong passwords
 * can only be tested against a cluster like this one.
 *
 * Needs the PostgreSQL server binaries (initdb, pg_ctl), openssl, and a `postgres` system user to run
 * the server as (PostgreSQL refuses to run as root). `scratchPgMissing` says what is absent.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { probe } from './dbServers';

export interface ScratchPg {
  port: number;
  user: string;
  password: string;
  /** The test CA's certificate (PEM file): the server's certificate is signed by it. */
  caFile: string;
  stop(): void;
}

function pgBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0]!, 'bin') : null;
}

/** Why a scratch cluster cannot start here (a skip reason), or false when it can. */
export const scratchPgMissing: string | false = (() => {
  if (process.platform !== 'linux') return 'needs Linux (PostgreSQL server binaries under /usr/lib/postgresql); skipped';
  if (!pgBinDir()) return 'needs the PostgreSQL server binaries (initdb, pg_ctl under /usr/lib/postgresql/*/bin); skipped';
  if (!probe('openssl', ['version'])) return 'needs openssl to make the test certificates; skipped';
  if (process.getuid?.() === 0 ? !probe('runuser', ['-u', 'postgres', '--', 'true']) : false) return 'needs a "postgres" system user to run the server as; skipped';
  return false;
})();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** As the postgres user when we are root (the server will not run as root). */
function asServerUser(cmd: string, args: string[]): void {
  if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  else execFileSync(cmd, args, { stdio: 'pipe' });
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

export async function startScratchPg(): Promise<ScratchPg> {
  const bin = pgBinDir()!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-pgtls-'));
  fs.chmodSync(dir, 0o777);
  const user = 'airflow';
  const password = `pw-${Math.random().toString(36).slice(2, 10)}:@/x`;
  // A CA, and a server certificate signed by it that names only "localhost".
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Airflow DAG Access test CA', '-keyout', 'ca.key', '-out', 'ca.pem'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr'], dir);
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.crt'], dir);
  const data = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pwfile');
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
  fs.mkdirSync(data, { mode: 0o700 });
  const chownToServer = (p: string) => {
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres', p]);
  };
  chownToServer(data);
  asServerUser(path.join(bin, 'initdb'), ['-D', data, '-U', user, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync']);
  fs.unlinkSync(pwfile);
  fs.copyFileSync(path.join(dir, 'server.crt'), path.join(data, 'server.crt'));
  fs.copyFileSync(path.join(dir, 'server.key'), path.join(data, 'server.key'));
  fs.chmodSync(path.join(data, 'server.key'), 0o600);
  // TLS connections with a password only: no trust, no unencrypted TCP.
  fs.writeFileSync(path.join(data, 'pg_hba.conf'), 'local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n');
  chownToServer(data);
  const port = await freePort();
  const log = path.join(dir, 'server.log');
  fs.writeFileSync(log, '');
  chownToServer(log);
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key -c fsync=off`;
  asServerUser(path.join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-w', '-t', '30', '-l', log, 'start']);
  return {
    port,
    user,
    password,
    caFile: path.join(dir, 'ca.pem'),
    stop: () => {
      try {
        asServerUser(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

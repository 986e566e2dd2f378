/** The PEM files a URL's TLS parameters name (CA, client certificate and key), read for the driver. */
import * as fs from 'fs';
import { DbError } from './errors';
import type { ServerTarget } from './url';

export interface TlsPem {
  ca?: string;
  cert?: string;
  key?: string;
}

export function readTlsFiles(tls: NonNullable<ServerTarget['tls']>): TlsPem {
  const read = (f?: string) => {
    if (!f) return undefined;
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      throw new DbError('bad-url', `Cannot read TLS file ${f}.`);
    }
  };
  return { ca: read(tls.rootCert), cert: read(tls.cert), key: read(tls.key) };
}

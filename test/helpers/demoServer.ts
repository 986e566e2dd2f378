/**
 * A server over a throw-away copy of examples/ connected to a SQLite demo database with the given
 * DAGs deployed, for the enclosing describe(): started before its tests, stopped after them.
 */
import { after, before } from 'node:test';
import * as fs from 'fs';
import * as path from 'path';
import { createDemoDatabase } from '../../server/src/sync/demo';
import type { StatusNotification } from '../../server/src/protocol';
import { copyExamples, LspClient } from './lspClient';

export interface DemoServer {
  root: string;
  dbFile: string;
  client: LspClient;
}

export function demoServer(dags: { dagId: string; tags: string[] }[]): DemoServer {
  const ws = {} as DemoServer;
  before(async () => {
    ws.root = copyExamples();
    ws.dbFile = path.join(ws.root, '.airflow', 'airflow.db');
    await createDemoDatabase(ws.dbFile, { dags });
    ws.client = await LspClient.start({ folders: [ws.root], settings: { database: { url: `sqlite:///${ws.dbFile}` } } });
    await ws.client.waitForNotification<StatusNotification.Params>('airflowDagAccess/status', (p) => p.folders.some((f) => f.db.state === 'connected'));
  });
  after(async () => {
    await ws.client.stop();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });
  return ws;
}

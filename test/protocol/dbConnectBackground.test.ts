/**
 * A configured database never holds back the first answer: the server connects in the background
 * after the open documents are answered. The database here is a TCP server that accepts and never
 * says a word (a hung PostgreSQL): the driver waits for its connect timeout. Ordering, not timing:
 * the hover must arrive while that connection is still pending, and nothing breaks once it fails.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import type { Hover } from 'vscode-languageserver-protocol/node';
import type { StatusNotification } from '../../server/src/protocol';
import { copyExamples, LspClient, positionOf } from '../helpers/lspClient';

const hoverText = (h: Hover | null) => (h ? (h.contents as { value: string }).value : '');

let root: string;
let client: LspClient | null = null;
let silent: net.Server;
const sockets: net.Socket[] = [];
let closedSockets = 0;
let accepted: () => void;
const firstAccept = new Promise<void>((r) => (accepted = r));

before(async () => {
  root = copyExamples();
  silent = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    s.on('close', () => closedSockets++);
    accepted();
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
});

after(async () => {
  await client?.stop();
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  fs.rmSync(root, { recursive: true, force: true });
});

test('with a database that never answers, the hover on the open file comes before the connect settles; the failure arrives later and the server keeps answering', async () => {
  const port = (silent.address() as net.AddressInfo).port;
  client = await LspClient.start({ folders: [root], settings: { database: { url: `postgresql://airflow@127.0.0.1:${port}/airflow` } }, waitIndexed: false });
  const file = path.join(root, 'dags', 'finance_ledger.py');
  const text = fs.readFileSync(file, 'utf8');
  const uri = await client.open(file);
  const position = positionOf(text, 'def finance_ledger', 'def '.length + 2);
  const hover = hoverText(await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position }));
  // The connect has not settled: no database connection was closed (by timeout or error) yet.
  const closedAtHover = closedSockets;
  assert.match(hover, /finance_ledger/);
  assert.equal(closedAtHover, 0, 'the hover waited for the database connect to give up');
  // The server did try to connect (in the background) ...
  await firstAccept;
  // ... and when the database goes away, the failure is reported as a status, not a crash.
  const failed = client.waitForNotification<StatusNotification.Params>('airflowDagAccess/status', (p) => p.folders.some((f) => f.db.state === 'error'));
  for (const s of sockets) s.destroy();
  await failed;
  const again = hoverText(await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position }));
  assert.match(again, /finance_ledger/);
  assert.equal(client.child.exitCode, null);
});

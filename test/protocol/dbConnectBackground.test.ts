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
let accepted: () => void;
const firstAccept = new Promise<void>((r) => (accepted = r));

before(async () => {
  root = copyExamples();
  silent = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
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
  let hoverArrived = false;
  const hovered = client.request<Hover>('textDocument/hover', { textDocument: { uri }, position }).then((h) => {
    hoverArrived = true;
    return hoverText(h);
  });
  // The database is let go (the connect then fails) only once the hover is in, or when it has
  // clearly waited for the database (the driver's own connect timeout is 10 s): ordering, not a bound.
  await firstAccept;
  await Promise.race([hovered, new Promise((r) => setTimeout(r, 5_000))]);
  const hoverBeforeDbSettled = hoverArrived;
  const failed = client.waitForNotification<StatusNotification.Params>('airflowDagAccess/status', (p) => p.folders.some((f) => f.db.state === 'error'));
  for (const s of sockets) s.destroy();
  assert.equal(hoverBeforeDbSettled, true, 'the hover waited for the database connect');
  assert.match(await hovered, /finance_ledger/);
  // The failed connect is reported as a status, not a crash, and the server keeps answering.
  await failed;
  const again = hoverText(await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position }));
  assert.match(again, /finance_ledger/);
  assert.equal(client.child.exitCode, null);
});

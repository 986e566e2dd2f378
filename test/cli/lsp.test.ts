import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import { pathToFileURL } from 'url';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import { cleanEnv, cliPath, copyExamples } from './cliRunner';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;

describe('airflow-access lsp --stdio', { skip: built }, () => {
  test('answers initialize over stdio and exits on shutdown/exit', async () => {
    const root = copyExamples();
    const child = spawn(process.execPath, [cliPath, 'lsp', '--stdio'], { cwd: root, env: cleanEnv(), stdio: 'pipe' });
    const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.listen();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const init = (await conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(root).href,
        workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'examples' }],
        capabilities: {},
      })) as { capabilities: Record<string, unknown>; serverInfo?: { name: string } };
      assert.ok(init.capabilities.hoverProvider, 'hover is offered');
      assert.equal(init.serverInfo?.name, 'airflow-dag-access');
      await conn.sendNotification('initialized', {});
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      assert.equal(await exited, 0);
    } finally {
      conn.dispose();
      child.kill();
    }
  });
});

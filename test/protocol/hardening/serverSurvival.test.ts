/**
 * The bundled server survives exceptions in its real feature handlers: malformed params, URIs that do
 * not exist, closed documents, garbage notifications. Each hostile request gets an answer (a result or
 * an error, never silence), and the next ordinary request still succeeds in the same process.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { after, before, describe, test } from 'node:test';
import { copyExamples, fileUri, LspClient } from '../../helpers/lspClient';

const ANSWER_CAP_MS = 15_000;

function answerOrTimeout<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: { code?: number; message?: string } } | 'no answer'> {
  return Promise.race([
    p.then((value) => ({ ok: true as const, value }), (error: { code?: number; message?: string }) => ({ ok: false as const, error })),
    new Promise<'no answer'>((r) => setTimeout(() => r('no answer'), ANSWER_CAP_MS)),
  ]);
}

describe('server survival: exceptions in feature handlers', () => {
  let root: string;
  let client: LspClient;
  let uri: string;
  const healthy = { line: 10, character: 40 };

  before(async () => {
    root = copyExamples();
    client = await LspClient.start({ folders: [root] });
    uri = await client.open(path.join(root, 'dags', 'marketing_leads.py'));
    await client.pullDiagnostics(uri);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const missing = () => fileUri(path.join(root, 'dags', 'does_not_exist.py'));
  const closed = () => fileUri(path.join(root, 'dags', 'finance_ledger.py'));
  const outside = 'file:///definitely/not/in/the/workspace.py';
  const docs = () => [{}, { textDocument: {} }, { textDocument: { uri: 42 } }, { textDocument: { uri: 'not a uri' } }, { textDocument: { uri: missing() } }, { textDocument: { uri: closed() } }, { textDocument: { uri: outside } }];
  const positioned = () => [
    ...docs().map((d) => ({ ...d, position: { line: 0, character: 0 } })),
    { textDocument: { uri }, position: null },
    { textDocument: { uri }, position: { line: -5, character: -1 } },
    { textDocument: { uri }, position: { line: 1e9, character: 1e9 } },
    { textDocument: { uri }, position: { line: 'x', character: {} } },
    null,
    'a string',
    [1, 2, 3],
  ];

  const cases: [string, () => unknown[]][] = [
    ['textDocument/hover', positioned],
    ['textDocument/completion', positioned],
    ['textDocument/definition', positioned],
    ['textDocument/references', () => positioned().map((p) => (p && typeof p === 'object' && !Array.isArray(p) ? { ...p, context: { includeDeclaration: true } } : p))],
    ['textDocument/diagnostic', () => [...docs(), null]],
    ['textDocument/codeLens', () => [...docs(), null]],
    ['textDocument/documentSymbol', () => [...docs(), null]],
    ['textDocument/inlayHint', () => [...docs().map((d) => ({ ...d, range: { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } } })), { textDocument: { uri }, range: null }]],
    ['textDocument/semanticTokens/full', () => [...docs(), null]],
    ['textDocument/codeAction', () => [...docs().map((d) => ({ ...d, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, context: { diagnostics: [] } })), { textDocument: { uri }, range: null, context: null }, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [{ code: 'ADA001', range: null, message: 1, data: 'garbage' }] } }]],
    ['workspace/symbol', () => [{}, { query: null }, { query: 42 }, null]],
    ['airflowDagAccess/explain', () => [{}, { dagId: null }, { dagId: 'no_such_dag' }, { folderUri: outside, dagId: 'x' }, null]],
    ['airflowDagAccess/plan', () => [{}, { folderUri: outside }, { tagSource: 'nonsense' }, null]],
    ['airflowDagAccess/apply', () => [{}, { planId: 'nope' }, { planId: null, folderUri: outside }, null]],
    ['airflowDagAccess/drift', () => [{}, null]],
    ['airflowDagAccess/testConnection', () => [{}, null]],
    ['airflowDagAccess/matrix', () => [{ folderUri: 42 }, null]],
    ['airflowDagAccess/tree', () => [{ folderUri: 42 }, null]],
    ['airflowDagAccess/treeChildren', () => [{}, { node: null }, { node: { kind: 'role', name: 42 } }, { node: { kind: 'dag', name: 'no_such_dag' }, folderUri: outside }, { node: { kind: 'role', name: 'x'.repeat(100_000) } }, null]],
    ['airflowDagAccess/listDags', () => [{ folderUri: outside }, null]],
  ];

  for (const [method, params] of cases) {
    test(`${method}: every hostile request is answered and the next request succeeds`, async () => {
      const failures: string[] = [];
      for (const p of params()) {
        const res = await answerOrTimeout(client.request(method, p));
        if (res === 'no answer') failures.push(`no answer within ${ANSWER_CAP_MS} ms to ${JSON.stringify(p)}`);
        const next = await answerOrTimeout(client.request<unknown>('textDocument/hover', { textDocument: { uri }, position: healthy }));
        if (next === 'no answer' || !next.ok || !next.value) failures.push(`after ${JSON.stringify(p)} the next hover failed: ${JSON.stringify(next)}`);
      }
      assert.equal(client.child.exitCode, null, 'the server process exited');
      assert.deepEqual(failures, []);
    });
  }

  test('garbage notifications are logged, never fatal', async () => {
    const c = client.connection;
    await c.sendNotification('textDocument/didChange', { textDocument: { uri: missing(), version: 2 }, contentChanges: [{ text: 'x' }] });
    const other = await client.open(path.join(root, 'dags', 'platform_maintenance.py'));
    await c.sendNotification('textDocument/didChange', { textDocument: { uri: other, version: 2 }, contentChanges: [{ range: { start: { line: 1e6, character: 0 }, end: { line: -1, character: 0 } }, text: 'x' }] });
    await c.sendNotification('textDocument/didChange', { textDocument: { uri: other, version: 3 }, contentChanges: [{ text: null }] });
    await c.sendNotification('textDocument/didOpen', { textDocument: { uri: outside, languageId: 'python', version: 1, text: null } });
    await c.sendNotification('textDocument/didClose', { textDocument: { uri: missing() } });
    await c.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'file:///nope/x.py', type: 99 }, { uri: 42, type: 1 }] });
    await c.sendNotification('workspace/didChangeConfiguration', { settings: 'garbage' });
    await c.sendNotification('airflowDagAccess/setDatabasePassword', { password: { not: 'a string' }, folderUri: 7 });
    await c.sendNotification('no/such/notification', { x: 1 });
    const unknown = await answerOrTimeout(client.request('no/such/request', {}));
    assert.ok(unknown !== 'no answer' && !unknown.ok, 'an unknown request gets an error answer');
    const h = await answerOrTimeout(client.request<unknown>('textDocument/hover', { textDocument: { uri }, position: healthy }));
    assert.ok(h !== 'no answer' && h.ok && h.value, `hover after garbage notifications: ${JSON.stringify(h)}`);
    assert.equal(client.child.exitCode, null);
  });

  test('a failing handler is logged with its method name', async () => {
    const hoverFailure = /^textDocument\/hover failed: TypeError: /;
    await answerOrTimeout(client.request('textDocument/hover', { textDocument: { uri }, position: null }));
    await client.waitFor(() => client.logs.some((l) => hoverFailure.test(l)), 'the hover failure in the log', 5000).catch(() => undefined);
    // The hover without a position threw inside its handler (this suite is not only exercising graceful
    // paths), and the log names the method, then the error with its stack.
    assert.ok(client.logs.some((l) => hoverFailure.test(l) && /\n\s+at /.test(l)), `no hover failure with a stack in the log:\n${client.logs.join('\n')}`);
    // Every failure logged by the suite names what failed: our handlers (request method, or the
    // notification's short name) or, for notifications the library dispatches, vscode-jsonrpc's own line.
    const failed = client.logs.filter((x) => /\bfailed\b/.test(x));
    const named = /^(?:[a-z][a-zA-Z]*(?:\/[a-zA-Z]+)+|setDatabasePassword|didChangeWatchedFiles|didChangeConfiguration) failed: \S|^Notification handler '[a-zA-Z/$]+' failed with message/;
    assert.deepEqual(failed.filter((l) => !named.test(l)).map((l) => l.split('\n')[0]), []);
    console.log(`logged handler failures: ${failed.length}; e.g. ${failed[0]?.split('\n')[0]}`);
  });
});

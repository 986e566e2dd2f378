/**
 * The client's password storage (client/src/secrets.ts) and the Set / Clear Database Password commands,
 * with a fake SecretStorage and language server: where the password is kept, what reaches the server,
 * and that it is never written to the output channel or shown.
 */
import { folderOf, ui, workspace, EventEmitter } from './vscodeStub';
import { strict as assert } from 'node:assert';
import { beforeEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { registerDatabaseCommands } from '../../../client/src/commands/database';
import type { Services } from '../../../client/src/commands/services';
import { Commands } from '../../../client/src/constants';
import type { AccessServer } from '../../../client/src/languageClient';
import { DatabasePasswords } from '../../../client/src/secrets';

const KEY = (folderUri: string) => `airflowDagAccess.databasePassword:${folderUri}`;
const PASSWORD = 'client-pw-93Xk!';

class FakeSecrets {
  readonly values = new Map<string, string>();
  private readonly changed = new EventEmitter<{ key: string }>();
  readonly onDidChange = this.changed.event;
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
    this.changed.fire({ key });
  }
  async delete(key: string) {
    this.values.delete(key);
    this.changed.fire({ key });
  }
  /** Another extension's secret changes: not ours. */
  fireForeign(key: string) {
    this.changed.fire({ key });
  }
}

function setup(opts: { serverDown?: boolean } = {}) {
  const secrets = new FakeSecrets();
  const sent: { folderUri: string; password: string | null }[] = [];
  const started = new EventEmitter<void>();
  const server = {
    onDidStart: started.event,
    setDatabasePassword: async (p: { folderUri: string; password: string | null }) => {
      if (opts.serverDown) throw new Error('Client is not running');
      sent.push(p);
    },
  } as unknown as AccessServer;
  const lines: string[] = [];
  const log = (l: string) => void lines.push(l);
  const output = { info: log, warn: log, error: log, debug: log, trace: log, appendLine: log } as unknown as vscode.LogOutputChannel;
  const passwords = new DatabasePasswords(secrets as unknown as vscode.SecretStorage, server, output);
  return { secrets, sent, started, passwords, lines, output, server };
}

/** Lets the promise chains started by events (void this.send(...)) finish. */
const settle = () => new Promise((r) => setImmediate(r));

describe('DatabasePasswords (client/src/secrets.ts)', () => {
  const ws = folderOf('ws');
  beforeEach(() => {
    ui.reset();
    workspace.workspaceFolders = [ws];
  });

  it('stores the password in secret storage under the folder, sends it to the server, logs without it', async () => {
    const s = setup();
    await s.passwords.store(ws as unknown as vscode.WorkspaceFolder, PASSWORD);
    await settle();
    assert.deepEqual([...s.secrets.values], [[KEY('file:///work/ws'), PASSWORD]]);
    assert.deepEqual(s.sent, [{ folderUri: 'file:///work/ws', password: PASSWORD }]);
    assert.equal(await s.passwords.has(ws as unknown as vscode.WorkspaceFolder), true);
    assert.deepEqual(s.lines, ['Database password sent for file:///work/ws']);
  });

  it('delete removes it and tells the server (password null)', async () => {
    const s = setup();
    await s.passwords.store(ws as unknown as vscode.WorkspaceFolder, PASSWORD);
    await s.passwords.delete(ws as unknown as vscode.WorkspaceFolder);
    await settle();
    assert.deepEqual([...s.secrets.values], []);
    assert.deepEqual(s.sent.at(-1), { folderUri: 'file:///work/ws', password: null });
    assert.equal(await s.passwords.has(ws as unknown as vscode.WorkspaceFolder), false);
    assert.equal(s.lines.at(-1), 'Database password cleared for file:///work/ws');
  });

  it('at every server start, sends the password of each folder that has one, and only those', async () => {
    const other = folderOf('other', 1);
    workspace.workspaceFolders = [ws, other];
    const s = setup();
    s.secrets.values.set(KEY('file:///work/other'), 'other-pw');
    s.started.fire();
    await settle();
    await settle();
    assert.deepEqual(s.sent, [{ folderUri: 'file:///work/other', password: 'other-pw' }]);
    s.started.fire();
    await settle();
    await settle();
    assert.equal(s.sent.length, 2, 'sent again after a restart');
  });

  it("ignores other extensions' secrets; survives a server that is not running", async () => {
    const s = setup();
    s.secrets.fireForeign('someOtherExtension.token');
    await settle();
    assert.deepEqual(s.sent, []);
    const down = setup({ serverDown: true });
    await down.passwords.store(ws as unknown as vscode.WorkspaceFolder, PASSWORD);
    await settle();
    assert.deepEqual(down.lines, [], 'nothing logged, no crash');
    assert.equal(down.secrets.values.get(KEY('file:///work/ws')), PASSWORD, 'kept for the next start');
  });
});

describe('Set / Clear Database Password commands', () => {
  const ws = folderOf('ws');
  beforeEach(() => {
    ui.reset();
    workspace.workspaceFolders = [ws];
  });

  function commands() {
    const s = setup();
    registerDatabaseCommands({ server: s.server, passwords: s.passwords, output: s.output, docs: {} } as unknown as Services);
    return s;
  }

  it('Set asks in a masked input box, stores it for the folder, and says so without the password', async () => {
    const s = commands();
    ui.inputAnswers.push(PASSWORD);
    await ui.commands.get(Commands.setDatabasePassword)!();
    await settle();
    assert.equal(ui.inputBoxes.length, 1);
    assert.equal(ui.inputBoxes[0].password, true, 'the input box hides what is typed');
    assert.equal(ui.inputBoxes[0].title, 'Airflow metadata database password (ws)');
    assert.equal(s.secrets.values.get(KEY('file:///work/ws')), PASSWORD);
    assert.deepEqual(s.sent, [{ folderUri: 'file:///work/ws', password: PASSWORD }]);
    assert.deepEqual(ui.info, ['Database password stored for "ws".']);
    assert.ok(![...ui.info, ...ui.errors, ...s.lines].some((m) => m.includes(PASSWORD)));
  });

  it('Set changes nothing when the input box is dismissed or left empty', async () => {
    const s = commands();
    s.secrets.values.set(KEY('file:///work/ws'), 'old-pw');
    for (const answer of [undefined, '']) {
      ui.inputAnswers.push(answer);
      await ui.commands.get(Commands.setDatabasePassword)!();
    }
    await settle();
    assert.equal(s.secrets.values.get(KEY('file:///work/ws')), 'old-pw');
    assert.deepEqual(s.sent, []);
    assert.deepEqual(ui.info, []);
  });

  it('Clear removes the stored password, tells the server, and says so', async () => {
    const s = commands();
    s.secrets.values.set(KEY('file:///work/ws'), 'old-pw');
    await ui.commands.get(Commands.clearDatabasePassword)!();
    await settle();
    assert.equal(s.secrets.values.has(KEY('file:///work/ws')), false);
    assert.deepEqual(s.sent, [{ folderUri: 'file:///work/ws', password: null }]);
    assert.deepEqual(ui.info, ['Database password removed for "ws".']);
  });

  it('without a workspace folder, neither command stores anything; the user is told to open one', async () => {
    workspace.workspaceFolders = [];
    const s = commands();
    ui.inputAnswers.push(PASSWORD);
    await ui.commands.get(Commands.setDatabasePassword)!();
    await ui.commands.get(Commands.clearDatabasePassword)!();
    assert.deepEqual(ui.inputBoxes, []);
    assert.deepEqual([...s.secrets.values], []);
    assert.equal(ui.errors.length, 2);
    assert.match(ui.errors[0], /open the folder that holds your DAGs first/);
  });
});

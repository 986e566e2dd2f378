/**
 * What the user reads when a command fails or succeeds (issue 20 "Messages"): no method names, the
 * button that fixes it (Open Config for a config with errors, not Open Settings), user mistakes
 * logged as warnings, and "Connected to ..." said once.
 */
import './vscodeStub';
import { strict as assert } from 'node:assert';
import { beforeEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError } from 'vscode-languageclient/node';
import { registerDatabaseCommands } from '../../../client/src/commands/database';
import { errorActions, fixLocation, reportError, type Services } from '../../../client/src/commands/services';
import { Commands } from '../../../client/src/constants';
import { folderOf, ui, workspace } from './vscodeStub';

function outputLog() {
  const lines: { level: string; text: string }[] = [];
  const at = (level: string) => (text: string) => void lines.push({ level, text });
  const output = { info: at('info'), warn: at('warn'), error: at('error'), show: () => undefined } as unknown as vscode.LogOutputChannel;
  return { lines, output };
}

const configError = new ResponseError(LSPErrorCodes.RequestFailed, 'airflow-access.yaml has 2 error(s): fix them first (see the Problems view).', { kind: 'config', file: '/ws/airflow-access.yaml' });

describe('failure notifications', () => {
  beforeEach(() => ui.reset());

  it('offer what fixes the failure first', () => {
    assert.deepEqual(errorActions(fixLocation(configError)), ['Open Config', 'Show Output']);
    assert.deepEqual(errorActions({ kind: 'config' }), ['Create Access Config', 'Show Output']);
    assert.deepEqual(errorActions({ kind: 'settings' }), ['Open Settings', 'Show Output']);
    assert.deepEqual(errorActions(fixLocation(new ResponseError(-32603, 'boom'))), ['Show Output']);
  });

  it('a config with errors: "Open Config", no method name, logged as a warning without a stack', async () => {
    const { lines, output } = outputLog();
    await reportError({ output } as unknown as Services, 'Could not compute the sync plan', configError);
    assert.deepEqual(ui.errors, ['Could not compute the sync plan: airflow-access.yaml has 2 error(s): fix them first (see the Problems view).']);
    assert.deepEqual(ui.errorActions, [['Open Config', 'Show Output']]);
    assert.deepEqual(lines, [{ level: 'warn', text: ui.errors[0] }]);
    assert.ok(!ui.errors[0].includes('airflowDagAccess/'));
  });

  it('an unexpected failure is logged as an error', async () => {
    const { lines, output } = outputLog();
    await reportError({ output } as unknown as Services, 'Sync failed', new ResponseError(-32603, 'disk full'));
    assert.deepEqual(lines.map((l) => l.level), ['error']);
  });
});

describe('Test Database Connection', () => {
  beforeEach(() => ui.reset());

  it('says "Connected to" once, with the Airflow version', async () => {
    workspace.workspaceFolders = [folderOf('ws')];
    const message = 'Connected to SQLite /srv/airflow.db: 4 live DAG(s), 7 role(s).';
    const server = { testConnection: async () => ({ ok: true, message, details: { dialect: 'sqlite', airflowMajor: 2, fabTables: true, dagRunResources: true, dagCount: 4 } }) };
    const { output } = outputLog();
    for (const d of registerDatabaseCommands({ server, output } as unknown as Services)) void d;
    await ui.commands.get(Commands.testConnection)!();
    assert.deepEqual(ui.info, [`${message} Airflow 2.x.`]);
    assert.equal(ui.info[0].match(/Connected/g)!.length, 1);
  });
});

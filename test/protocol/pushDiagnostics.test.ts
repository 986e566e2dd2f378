import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { copyExamples, LspClient } from '../helpers/lspClient';

let root: string;
let client: LspClient;
before(async () => {
  root = copyExamples();
  client = await LspClient.start({ folders: [root], diagnostics: 'push' });
});
after(async () => {
  await client.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('without pull support the server publishes ADA001 (versioned) and republishes after an edit', async () => {
  assert.equal(client.initializeResult.capabilities.diagnosticProvider, undefined);
  const file = path.join(root, 'dags', 'marketing_leads.py');
  const uri = await client.open(file);
  const diags = await client.waitForPublished(uri, (d) => d.some((x) => x.code === 'ADA001'));
  assert.match(diags.find((x) => x.code === 'ADA001')!.message, /Did you mean 'marketing_analyst_edit'\?/);
  assert.equal(client.published.get(uri)!.version, 1);
  await client.change(uri, 2, fs.readFileSync(file, 'utf8').replace('marketing_analyst_edt', 'marketing_analyst_edit'));
  await client.waitForPublished(uri, (d) => !d.some((x) => x.code === 'ADA001'));
  assert.equal(client.published.get(uri)!.version, 2);
});

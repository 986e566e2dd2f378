/**
 * The editor's facts cache: the client passes `cacheDir` in initializationOptions (VS Code: a folder in
 * the workspace storage). The first start writes the cache; a second start with the same folder takes
 * unchanged files' facts from it instead of parsing them. To see that, the test edits a DAG id inside
 * the cache file between the starts: only a server that read the cache reports the edited id.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { InitializationOptions, ListDagsRequest } from '../../server/src/protocol';
import { copyExamples, LspClient } from '../helpers/lspClient';

describe('facts cache from initializationOptions.cacheDir', () => {
  let root: string;
  let cacheDir: string;

  before(() => {
    root = copyExamples();
    cacheDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ada-facts-')), 'facts-cache');
  });
  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(path.dirname(cacheDir), { recursive: true, force: true });
  });

  async function dagIds(initializationOptions: InitializationOptions): Promise<string[]> {
    const client = await LspClient.start({ folders: [root], initializationOptions: initializationOptions as Record<string, unknown> });
    try {
      const r = await client.request<ListDagsRequest.Result>('airflowDagAccess/listDags', {});
      return r.dags.map((d) => d.dagId).sort();
    } finally {
      await client.stop();
    }
  }

  test('a second start with the same cache folder reads unchanged files from the cache', async () => {
    const first = await dagIds({ cacheDir });
    assert.ok(first.includes('analytics_reporting_dag'), first.join(', '));
    const files = fs.readdirSync(cacheDir).filter((f) => /^facts-v\d+-[0-9a-f]+\.json$/.test(f));
    assert.equal(files.length, 1, `one cache file for the folder, found: ${fs.readdirSync(cacheDir).join(', ')}`);
    const cacheFile = path.join(cacheDir, files[0]!);
    const text = fs.readFileSync(cacheFile, 'utf8');
    assert.match(text, /"analytics_reporting_dag"/);
    fs.writeFileSync(cacheFile, text.replaceAll('"analytics_reporting_dag"', '"read_from_the_cache"'));

    const second = await dagIds({ cacheDir });
    assert.ok(second.includes('read_from_the_cache'), `the second start parsed the file again: ${second.join(', ')}`);
    assert.ok(!second.includes('analytics_reporting_dag'));

    // Without the option the server keeps no cache and parses the files.
    const uncached = await dagIds({});
    assert.deepEqual(uncached, first);
  });
});

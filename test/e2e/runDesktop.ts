/**
 * Runs the extension-host suite (test/e2e/suite) in desktop VS Code through @vscode/test-electron,
 * on a copy of examples/ (and, with ../shared, a copy of the Airflow 2.10 metadata fixture as
 * airflowDagAccess.database.url). Needs a machine that can download VS Code (or VSCODE_PATH
 * pointing at an installed `code` executable) and a display (use xvfb-run on a headless Linux).
 *
 *   npm run build && npx tsc -p . && node out/test/e2e/runDesktop.js
 *   VSCODE_VERSION=1.100.3 node out/test/e2e/runDesktop.js          # a specific version
 *   VSCODE_PATH=/usr/share/code/code node out/test/e2e/runDesktop.js  # no download
 *
 * Exit status 0 when every test passed. The same suite runs inside code-server in
 * test/e2e/extensionHost.test.ts (part of `npm test`).
 */
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../helpers/paths';
import { realClientsDir, suiteIndex } from './lib/env';
import { prepareWorkspace } from './lib/workspace';

async function main(): Promise<number> {
  const ws = prepareWorkspace();
  console.log(`workspace ${ws.folder}; database: ${ws.dbNote}`);
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      vscodeExecutablePath: process.env.VSCODE_PATH || undefined,
      // The download cache goes to the git-ignored .real-clients/ (not ./.vscode-test).
      cachePath: path.join(realClientsDir, 'vscode-test'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suiteIndex,
      extensionTestsEnv: {
        ADA_E2E_RESULTS: path.join(ws.root, 'results.json'),
        ADA_E2E_OBSERVED: path.join(ws.root, 'observed.json'),
      },
      launchArgs: [ws.folder, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
    return 0;
  } catch (e) {
    console.error(`extension-host suite failed: ${(e as Error).message}`);
    return 1;
  } finally {
    ws.cleanup();
  }
}

main().then((code) => process.exit(code));

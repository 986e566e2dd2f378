/**
 * Entry of the bundled language server (dist/server.mjs, imported by dist/server.js, which the VS Code
 * client starts with its transport flags): starts the server on this process.
 */
import { runServerProcess } from './serverProcess';

runServerProcess(process.argv.slice(2));

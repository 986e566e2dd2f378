/**
 * Entry of the bundled CLI (dist/cli.mjs, imported by the `airflow-access` bin dist/cli.js): runs the
 * command. Commands import their engine code when they run (see commands/), so `--help` and a
 * mistyped command load only the dispatcher and the option specs.
 */
import { runCliProcess } from './main';

runCliProcess();

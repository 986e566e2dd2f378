/**
 * `airflow-access`: the command-line face of the same engine the language server uses.
 * Dispatch only: find the command, parse its arguments, run it, map errors to exit codes.
 */
import { shownOutput } from '../model/terminalText';
import { UsageError, parseArgs } from './args';
import { type Command, CommandContext, EXIT, GLOBAL_OPTIONS, type Streams, packageVersion } from './command';
import { COMMANDS } from './commands';
import { commandHelp, programHelp } from './output/help';
import { redactSecrets } from './dbUrl';
import { DbError } from '../db/errors';
import { closestMatch } from '../config/didYouMean';

export async function runCli(argv: readonly string[], io: Streams): Promise<number> {
  const first = commandIndex(argv);
  const name = first >= 0 ? argv[first] : undefined;
  const version = packageVersion();
  if (argv.includes('--version') || argv.includes('-V')) {
    io.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  if (name === undefined || name === 'help') {
    const topic = name === 'help' ? argv[first + 1] : undefined;
    const cmd = topic ? COMMANDS.find((c) => c.name === topic) : undefined;
    if (topic && !cmd) return usage(io, unknownCommand(topic));
    if (name === undefined && argv.length > 0 && !argv.includes('--help') && !argv.includes('-h')) {
      return usage(io, 'missing command (run "airflow-access --help" for the list)');
    }
    io.stdout.write(cmd ? commandHelp(cmd) : programHelp(COMMANDS, version));
    return EXIT.ok;
  }
  const cmd: Command | undefined = COMMANDS.find((c) => c.name === name);
  if (!cmd) return usage(io, unknownCommand(name));
  const rest = [...argv.slice(0, first), ...argv.slice(first + 1)];
  const beforeDashes = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
    io.stdout.write(commandHelp(cmd));
    return EXIT.ok;
  }
  let ctx: CommandContext;
  try {
    const args = parseArgs(rest, [...cmd.options, ...GLOBAL_OPTIONS], cmd.positionals);
    ctx = new CommandContext(cmd, args, io);
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message, cmd.name);
    throw e;
  }
  try {
    return await cmd.run(ctx);
  } catch (e) {
    ctx.progress.done();
    if (e instanceof UsageError) return usage(io, e.message, cmd.name);
    // resolveDb checks the URL up front; this catches a TLS file that became unreadable since (still the user's input).
    if (e instanceof DbError && e.code === 'bad-url') return usage(io, e.message, cmd.name);
    const message = e instanceof Error ? e.message : String(e);
    io.stderr.write(`airflow-access ${cmd.name}: ${shownOutput(redactSecrets(message.split('\n')[0]), false)}\n`);
    if (io.env.AIRFLOW_ACCESS_DEBUG && e instanceof Error && e.stack) io.stderr.write(`${redactSecrets(e.stack)}\n`);
    return EXIT.failure;
  }
}

/** Index of the command name: the first word that is not an option or the value of a global option. */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-')) return i;
    const global = GLOBAL_OPTIONS.find((o) => `--${o.name}` === a);
    if (global && global.type !== 'boolean') i++;
  }
  return -1;
}

/**
 * A usage error: one line, in the same form as a failure ("airflow-access plan: ..."), exit 2.
 * Usage errors may quote --db or a file named in it: redact like every other error line.
 */
function usage(io: Streams, message: string, command?: string): number {
  io.stderr.write(`airflow-access${command ? ` ${command}` : ''}: ${redactSecrets(message)}\n`);
  return EXIT.usage;
}

function unknownCommand(name: string): string {
  const near = closestMatch(name, COMMANDS.map((c) => c.name));
  return `unknown command "${name}"${near ? `; did you mean "${near}"?` : ''} (run "airflow-access --help" for the list)`;
}

/** Run the command named in process.argv and set the exit code (dist/cli.js, through bin.ts). */
export function runCliProcess(): void {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
    (code) => {
      // `lsp` keeps the process alive itself and returns -1.
      if (code < 0) return;
      process.exitCode = code;
      // A driver pool or timer left open must not keep a finished command alive.
      setTimeout(() => process.exit(code), 3000).unref();
    },
    (e: unknown) => {
      process.stderr.write(`airflow-access: internal error: ${redactSecrets(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}

// `node out/server/src/cli/main.js` (compiled sources); the bundle is entered through bin.ts.
if (typeof module !== 'undefined' && require.main === module) runCliProcess();

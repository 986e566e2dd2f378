/**
 * What every command is: a spec (for parsing and --help) and a run function that returns the exit code.
 * Global options are accepted by every command, before or after the command name.
 */
import * as fs from 'fs';
import * as path from 'path';
import { type OptionSpec, type ParsedArgs, type PositionalSpec, UsageError, flag, str } from './args';
import { type Palette, colourWanted, palette } from './output/colour';
import { Progress } from './output/progress';
import { shownOutput } from '../model/terminalText';

/** Exit codes (documented in docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** check: findings at or above --fail-on; drift: differences found; plan --detailed-exitcode: changes pending. */
  findings: 1,
  usage: 2,
  /** The work could not be done: unreadable config, database unreachable, wrong password, apply failed. */
  failure: 3,
} as const;

export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'root', type: 'string', valueName: 'DIR', description: "workspace root (default: the --config file's folder, else the current directory)" },
  { name: 'config', type: 'string', valueName: 'FILE', description: 'role-mapping file (default: airflow-access.yaml found at the root)' },
  { name: 'json', type: 'boolean', description: 'machine-readable JSON on stdout (same as --format json)' },
  { name: 'no-color', type: 'boolean', description: 'no ANSI colour (colour is used only on a terminal anyway)' },
  { name: 'quiet', short: 'q', type: 'boolean', description: 'no progress messages on stderr' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show help for the command' },
];

export interface Command {
  name: string;
  summary: string;
  /** Longer text for --help (paragraphs separated by blank lines). */
  description?: string;
  positionals: PositionalSpec[];
  options: OptionSpec[];
  examples?: string[];
  run(ctx: CommandContext): Promise<number>;
}

export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export class CommandContext {
  readonly root: string;
  readonly colour: Palette;
  readonly errColour: Palette;
  readonly progress: Progress;

  constructor(
    readonly command: Command,
    readonly args: ParsedArgs,
    readonly io: Streams,
  ) {
    // Without --root, a --config file's folder is the workspace (its DAGs sit beside it), else the current directory.
    const config = str(args, 'config');
    this.root = path.resolve(io.cwd, str(args, 'root') ?? (config !== undefined ? path.dirname(config) : '.'));
    if (!fs.existsSync(this.root) || !fs.statSync(this.root).isDirectory()) {
      throw new UsageError(`--root ${str(args, 'root') ?? '.'} is not a directory`);
    }
    checkFormatFlags(args);
    const noColour = flag(args, 'no-color');
    this.colour = palette(colourWanted(io.stdout, noColour, io.env));
    this.errColour = palette(colourWanted(io.stderr, noColour, io.env));
    this.progress = new Progress(io.stderr, !flag(args, 'quiet'));
  }

  /** Explicit --config, resolved against the current directory. */
  get configOption(): string | undefined {
    const c = str(this.args, 'config');
    return c === undefined ? undefined : path.resolve(this.io.cwd, c);
  }

  /** The output format: --format if the command has it, `json` with --json, else the first choice. */
  format<T extends string>(choices: readonly T[]): T {
    const f = str(this.args, 'format');
    if (f !== undefined) return f as T;
    if (flag(this.args, 'json')) {
      if (!choices.includes('json' as T)) throw new UsageError(`${this.command.name} has no JSON output`);
      return 'json' as T;
    }
    return choices[0];
  }

  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
  }

  /**
   * Text for people on stdout (not JSON, SQL, CSV or a generated file): formatters escape names
   * themselves (model/terminalText.ts); this is the net under them for control characters that are
   * not layout (ESC outside the palette's colours, CR, bidi controls).
   */
  outText(text: string): void {
    this.out(shownOutput(text, this.colour.enabled));
  }

  /** A message for the person at the terminal (stderr), never part of the machine-readable output. */
  note(text: string): void {
    this.progress.done();
    this.io.stderr.write(`${shownOutput(text, this.errColour.enabled)}\n`);
  }

  warn(text: string): void {
    this.note(`${this.errColour.yellow('warning:')} ${text}`);
  }

  /** Path relative to the root with forward slashes (how findings and JSON name files). */
  rel(file: string): string {
    const r = path.relative(this.root, file);
    return (r === '' ? '.' : r).split(path.sep).join('/');
  }

  /** Resolve user-given paths (relative to the cwd) to absolute ones. */
  abs(p: string): string {
    return path.resolve(this.io.cwd, p);
  }
}

/** `--json` means `--format json`: with another --format, silently preferring one would print what was not asked for. */
function checkFormatFlags(args: ParsedArgs): void {
  const f = str(args, 'format');
  if (flag(args, 'json') && f !== undefined && f !== 'json') throw new UsageError(`--json and --format ${f} conflict: use one of them`);
}

export { packageVersion } from '../model/packageVersion';

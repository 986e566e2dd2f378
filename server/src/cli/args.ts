/**
 * A tiny argument parser: long options (`--name value`, `--name=value`), short aliases (`-h`),
 * boolean flags, repeatable list options, `--` to end options, and positionals. Every mistake
 * becomes a `UsageError` whose message is one line (main.ts prints it and exits with code 2).
 */

export type OptionType = 'boolean' | 'string' | 'list';

export interface OptionSpec {
  /** Long name without the dashes, e.g. `fail-on`. */
  name: string;
  short?: string;
  type: OptionType;
  /** Placeholder shown in help, e.g. `FILE`. */
  valueName?: string;
  /** Allowed values (checked for string and list options). */
  choices?: readonly string[];
  description: string;
}

export interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
}

export type OptionValue = string | boolean | string[];

export interface ParsedArgs {
  options: Map<string, OptionValue>;
  positionals: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function findOption(specs: readonly OptionSpec[], token: string): OptionSpec | undefined {
  if (token.startsWith('--')) return specs.find((s) => s.name === token.slice(2));
  return specs.find((s) => s.short !== undefined && s.short === token.slice(1));
}

function checkChoice(spec: OptionSpec, value: string): void {
  if (spec.choices && !spec.choices.includes(value)) {
    throw new UsageError(`--${spec.name} must be one of ${spec.choices.join(', ')} (got "${value}")`);
  }
}

/** Parse `argv` against the option and positional specs of one command. */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], positionals: readonly PositionalSpec[]): ParsedArgs {
  const options = new Map<string, OptionValue>();
  const rest: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      rest.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const token = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = findOption(specs, token);
    if (!spec) throw new UsageError(`unknown option ${token}`);
    if (spec.type === 'boolean') {
      if (eq > 0) throw new UsageError(`--${spec.name} takes no value`);
      options.set(spec.name, true);
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) {
        throw new UsageError(`--${spec.name} needs a value${spec.valueName ? ` (${spec.valueName})` : ''}`);
      }
      i++;
    }
    checkChoice(spec, value);
    if (spec.type === 'list') {
      const prev = options.get(spec.name);
      options.set(spec.name, [...(Array.isArray(prev) ? prev : []), value]);
    } else {
      options.set(spec.name, value);
    }
  }
  const required = positionals.filter((p) => p.required).length;
  const variadic = positionals.some((p) => p.variadic);
  if (rest.length < required) {
    const missing = positionals.filter((p) => p.required)[rest.length];
    throw new UsageError(`missing argument <${missing.name}>`);
  }
  if (!variadic && rest.length > positionals.length) {
    throw new UsageError(`unexpected argument "${rest[positionals.length]}"`);
  }
  return { options, positionals: rest };
}

/** Typed readers over ParsedArgs. */
export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

export function list(args: ParsedArgs, name: string): string[] {
  const v = args.options.get(name);
  return Array.isArray(v) ? v : [];
}

/** --help text for the program and for each command. */
import type { OptionSpec } from '../args';
import { type Command, GLOBAL_OPTIONS } from '../command';

function optionLine(o: OptionSpec): [string, string] {
  const names = `${o.short ? `-${o.short}, ` : '    '}--${o.name}`;
  const value = o.type === 'boolean' ? '' : ` ${o.valueName ?? 'VALUE'}`;
  const choices = o.choices ? ` (${o.choices.join('|')})` : '';
  const repeat = o.type === 'list' ? ' (repeatable)' : '';
  return [`${names}${value}`, `${o.description}${choices}${repeat}`];
}

function table(rows: [string, string][]): string {
  const width = Math.min(34, Math.max(...rows.map((r) => r[0].length)) + 2);
  return rows.map(([a, b]) => (a.length >= width ? `  ${a}\n  ${' '.repeat(width)}${b}` : `  ${a.padEnd(width)}${b}`)).join('\n');
}

export function commandUsage(cmd: Command): string {
  const pos = cmd.positionals.map((p) => {
    const n = `<${p.name}>${p.variadic ? '...' : ''}`;
    return p.required ? n : `[${n}]`;
  });
  return `airflow-access ${cmd.name}${cmd.options.length ? ' [options]' : ''}${pos.length ? ` ${pos.join(' ')}` : ''}`;
}

export function commandHelp(cmd: Command): string {
  const parts = [`Usage: ${commandUsage(cmd)}`, '', cmd.summary];
  if (cmd.description) parts.push('', cmd.description);
  if (cmd.positionals.length) parts.push('', 'Arguments:', table(cmd.positionals.map((p) => [p.name, p.description])));
  if (cmd.options.length) parts.push('', 'Options:', table(cmd.options.map(optionLine)));
  parts.push('', 'Global options:', table(GLOBAL_OPTIONS.map(optionLine)));
  if (cmd.examples?.length) parts.push('', 'Examples:', ...cmd.examples.map((e) => `  ${e}`));
  return `${parts.join('\n')}\n`;
}

export function programHelp(commands: readonly Command[], version: string): string {
  const parts = [
    `airflow-access ${version}: which Airflow roles and teams reach each DAG, and syncing tag-based grants into the metadata database.`,
    '',
    'Usage: airflow-access <command> [options]',
    '',
    'Commands:',
    table(commands.map((c) => [c.name, c.summary])),
    '',
    'Global options:',
    table(GLOBAL_OPTIONS.map(optionLine)),
    '',
    'Run "airflow-access <command> --help" for the options of a command.',
    'Exit codes: 0 success, 1 findings (check --fail-on, drift, plan --detailed-exitcode), 2 usage error, 3 failure.',
  ];
  return `${parts.join('\n')}\n`;
}

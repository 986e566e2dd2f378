/** A leveled logger writing through the connection (window/logMessage), so it lands in the client's output. */
import type { Connection } from 'vscode-languageserver/node';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export class Logger {
  private level: LogLevel;

  constructor(
    private readonly connection: Connection,
    level: LogLevel = envLevel() ?? 'info',
  ) {
    this.level = level;
  }

  setLevel(level: LogLevel): void {
    this.level = envLevel() ?? level;
  }

  error(message: string, error?: unknown): void {
    if (this.enabled('error')) this.connection.console.error(withCause(message, error));
  }
  warn(message: string): void {
    if (this.enabled('warn')) this.connection.console.warn(message);
  }
  info(message: string): void {
    if (this.enabled('info')) this.connection.console.info(message);
  }
  debug(message: string): void {
    if (this.enabled('debug')) this.connection.console.log(message);
  }

  private enabled(level: LogLevel): boolean {
    return ORDER[level] <= ORDER[this.level];
  }
}

function envLevel(): LogLevel | undefined {
  const v = process.env.AIRFLOW_DAG_ACCESS_LOG_LEVEL;
  return v && v in ORDER ? (v as LogLevel) : undefined;
}

function withCause(message: string, error: unknown): string {
  if (error === undefined) return message;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${message}: ${detail}`;
}

/** Typed access to tools/vscode-web.mjs (the Playwright driver for code-server, an ES module). */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { toolsDir } from './env';

export interface Problem {
  file?: string;
  severity?: string;
  message: string;
  source?: string;
  line?: number;
  column?: number;
}

/** The subset of Playwright's Page the tests use. */
export interface Locator {
  first(): Locator;
  nth(i: number): Locator;
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
  click(o?: { timeout?: number }): Promise<void>;
  dblclick(o?: { timeout?: number }): Promise<void>;
  innerText(o?: { timeout?: number }): Promise<string>;
  isVisible(): Promise<boolean>;
  count(): Promise<number>;
  waitFor(o?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  evaluateAll<R>(fn: (els: any[]) => R): Promise<R>;
  getAttribute(name: string): Promise<string | null>;
}
export interface Page {
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  mouse: { move(x: number, y: number): Promise<void> };
  $$eval<R>(selector: string, fn: (els: any[]) => R): Promise<R>;
  waitForSelector(selector: string, o?: { state?: string; timeout?: number }): Promise<unknown>;
}

export interface VSCodeWeb {
  page: Page;
  /** The driver's temp dir (profile, logs); removed by stop(). */
  tmp: string;
  workspace: string;
  timings: Record<string, number>;
  consoleMessages: { type: string; text: string }[];
  elapsed(): number;
  openFile(relPath: string): Promise<void>;
  showProblems(): Promise<void>;
  /** Type into the Problems panel's filter box (the list is virtualised). */  filterProblems(text: string): Promise<void>;
  problems(): Promise<Problem[]>;
  waitForProblem(match: string | RegExp | ((p: Problem) => boolean), o?: { timeoutMs?: number }): Promise<{ problem: Problem; elapsedMs: number }>;
  gotoPosition(line: number, column?: number): Promise<void>;
  hoverAt(line: number, column: number, o?: { via?: 'mouse' | 'keyboard'; timeoutMs?: number }): Promise<string>;
  codeActionsAt(line: number, column: number, o?: { apply?: string; timeoutMs?: number }): Promise<string[]>;
  runCommand(title: string, o?: { timeoutMs?: number }): Promise<void>;
  notifications(o?: { match?: string | RegExp; timeoutMs?: number }): Promise<string[]>;
  editorVisibleText(): Promise<string>;
  waitForEditorText(match: string | RegExp, o?: { timeoutMs?: number }): Promise<string>;
  waitForFile(relPath: string, match: string | RegExp, o?: { timeoutMs?: number }): Promise<string>;
  save(): Promise<void>;
  screenshot(file: string): Promise<string>;
  serverLog(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  workspace: string;
  copyWorkspace?: boolean;
  vsix?: string | string[];
  extensionPath?: string;
  installDir?: string;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  timeoutMs?: number;
  keep?: boolean;
  log?: (m: string) => void;
}

export interface ExtensionTestOptions {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  workspace: string;
  installDir?: string;
  vsix?: string | string[];
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  timeoutMs?: number;
  quiet?: boolean;
  verbose?: boolean;
  screenshotOnTimeout?: string;
  onOutput?: (line: string) => void;
  log?: (m: string) => void;
}

interface DriverModule {
  startCodeServer(o: StartOptions): Promise<VSCodeWeb>;
  runExtensionTests(o: ExtensionTestOptions): Promise<{ exitCode: number; output: string[]; durationMs: number }>;
}

let mod: Promise<DriverModule> | undefined;
export function driver(): Promise<DriverModule> {
  // A real dynamic import (module: node16 keeps import() in CommonJS output).
  mod ??= import(pathToFileURL(path.join(toolsDir, 'vscode-web.mjs')).href) as Promise<DriverModule>;
  return mod;
}

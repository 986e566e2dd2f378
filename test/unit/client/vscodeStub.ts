/**
 * A stand-in for the `vscode` module so client code runs under node --test: the parts the client's
 * password storage and database commands use, recording what the user would see. Import this module
 * before any client module (it registers itself as `vscode` with Node's module loader).
 */
import Module = require('node:module');

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export interface StubFolder {
  uri: { toString(): string; fsPath: string };
  name: string;
  index: number;
}

export const folderOf = (name: string, index = 0): StubFolder => ({ uri: { toString: () => `file:///work/${name}`, fsPath: `/work/${name}` }, name, index });

/** What the stub recorded: messages shown, input boxes asked, commands registered. */
export const ui = {
  info: [] as string[],
  errors: [] as string[],
  /** The buttons offered with each error message. */
  errorActions: [] as string[][],
  inputBoxes: [] as Record<string, unknown>[],
  /** The next answers of showInputBox (undefined: the user pressed Escape). */
  inputAnswers: [] as (string | undefined)[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  reset(): void {
    this.info = [];
    this.errors = [];
    this.errorActions = [];
    this.inputBoxes = [];
    this.inputAnswers = [];
  },
};

export const workspace = {
  workspaceFolders: [] as StubFolder[] | undefined,
  getWorkspaceFolder: (_uri: unknown) => undefined,
};

const stub: Record<string, unknown> = {
  EventEmitter,
  Disposable: class {
    constructor(private readonly fn: () => void) {}
    dispose(): void {
      this.fn();
    }
  },
  workspace,
  window: {
    activeTextEditor: undefined,
    showInputBox: async (options: Record<string, unknown>) => {
      ui.inputBoxes.push(options);
      return ui.inputAnswers.shift();
    },
    showInformationMessage: async (m: string) => void ui.info.push(m),
    showErrorMessage: async (m: string, ...items: unknown[]) => {
      ui.errors.push(m);
      ui.errorActions.push(items.filter((i): i is string => typeof i === 'string'));
    },
    withProgress: (_options: unknown, task: (progress: unknown, token: unknown) => unknown) =>
      task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) }),
    showWorkspaceFolderPick: async () => undefined,
  },
  commands: {
    registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
      ui.commands.set(id, fn);
      return { dispose: () => ui.commands.delete(id) };
    },
    executeCommand: async () => undefined,
  },
};

// Anything else the client (or vscode-languageclient) touches while loading: an inert class.
const vscodeModule = new Proxy(stub, { get: (t, k: string) => (k in t ? t[k] : class {}) });

const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string; _cache: Record<string, unknown> };
const resolve = loader._resolveFilename;
const STUB_ID = '\0vscode-stub';
loader._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? STUB_ID : resolve.call(this, request, ...rest);
};
require.cache[STUB_ID] = { id: STUB_ID, filename: STUB_ID, loaded: true, exports: vscodeModule } as unknown as NodeJS.Module;

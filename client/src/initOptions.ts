/** What the client tells the server in initializationOptions (the shape is protocol.ts InitializationOptions). */
import * as path from 'node:path';
import type { InitializationOptions } from '../../server/src/protocol';

/** The parts of vscode.ExtensionContext this needs (storage folders are vscode.Uri; only fsPath is read). */
export interface StorageContext {
  asAbsolutePath(relativePath: string): string;
  readonly storageUri: { readonly fsPath: string } | undefined;
  readonly globalStorageUri: { readonly fsPath: string };
}

/**
 * The wasm files ship in dist/. The facts cache lives in this workspace's storage (the global storage
 * when no folder is open), so a restart takes unchanged files' facts from it instead of parsing them.
 */
export function initializationOptions(context: StorageContext): InitializationOptions {
  const storage = context.storageUri ?? context.globalStorageUri;
  return { wasmDir: context.asAbsolutePath('dist'), cacheDir: path.join(storage.fsPath, 'facts-cache') };
}

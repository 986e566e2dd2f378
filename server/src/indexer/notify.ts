/** Change notification that a failing listener cannot break. */
export type ChangeListener = (changedFiles: string[]) => void;

export function notify(listeners: Set<ChangeListener>, files: string[]): void {
  if (!files.length) return;
  for (const l of [...listeners]) {
    try {
      l(files);
    } catch {
      // a failing listener must not break indexing
    }
  }
}

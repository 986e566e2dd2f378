/** Command-line paths (relative to the current directory) → a predicate on indexed absolute file names. */
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './args';
import type { CommandContext } from './command';

export function pathFilter(ctx: CommandContext, paths: readonly string[]): (file: string) => boolean {
  if (paths.length === 0) return () => true;
  const targets = paths.map((p) => {
    const abs = ctx.abs(p);
    if (!fs.existsSync(abs)) throw new UsageError(`no such file or folder: ${p}`);
    return { abs, dir: fs.statSync(abs).isDirectory() };
  });
  return (file) => targets.some((t) => (t.dir ? file === t.abs || file.startsWith(t.abs + path.sep) : file === t.abs));
}

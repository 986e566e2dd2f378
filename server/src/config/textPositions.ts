/**
 * Offset <-> position conversion for config files (and the Python sources of quick fixes, whose lone
 * CRs the indexer has already made line feeds). Positions are 0-based lines and UTF-16
 * characters; JavaScript string offsets are UTF-16 code units, so a column is just an offset
 * difference from the start of its line.
 */
import type { Position, Range } from '../model/facts';

export class TextPositions {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      } else if (c === 10 /* \n */) {
        this.lineStarts.push(i + 1);
      }
    }
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo] };
  }

  /** The offset of `p`, or null when its line does not exist or its character is past the line's end. */
  offsetAt(p: Position): number | null {
    const start = this.lineStarts[p.line];
    if (start === undefined || p.character < 0) return null;
    const next = this.lineStarts[p.line + 1];
    const o = start + p.character;
    return o <= (next === undefined ? this.text.length : next - 1) ? o : null;
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  /** Range of the first line (used when a problem concerns the whole file). */
  firstLine(): Range {
    const end = this.lineStarts.length > 1 ? this.lineStarts[1] - 1 : this.text.length;
    return this.range(0, this.text.slice(0, end).replace(/\r$/, '').length);
  }
}

export const emptyRange: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

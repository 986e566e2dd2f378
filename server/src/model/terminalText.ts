/**
 * Names from DAG files, configs and the database shown as text: a DAG id, tag or role name may hold
 * ESC (terminal escape sequences), CR or LF (rewrite or fake lines), other C0/C1 controls, or bidi
 * controls and zero-width characters (text that reads differently than it is). Every text formatter
 * passes names and messages through `shown`, which writes these characters as visible escapes
 * (`\x1b`, `\r`, `\n`, `\u202e`): a hostile name can neither hide nor rewrite a line of a plan a
 * reviewer reads, with or without colour. JSON and SARIF outputs are escaped by JSON itself.
 *
 * `shownOutput` is the net under whole text outputs: the same escapes, except that it keeps line
 * breaks and tabs (the layout's own) and, when colour is on, the SGR colour sequences the palette writes.
 */

/** C0 and C1 controls, DEL, and the invisible or direction-changing format characters. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The same characters, for a test (no `g` flag, so it keeps no lastIndex). */
const HAS_UNSAFE = new RegExp(UNSAFE.source);

/** A name or message with every control, bidi and zero-width character written as an escape. */
export function shown(text: string): string {
  // Nearly every name has none: a test is much cheaper than a replace with a callback (plans list 10,000s of names).
  return HAS_UNSAFE.test(text) ? text.replace(UNSAFE, escapeChar) : text;
}

/** Same as `shown` for a whole text output: line breaks and tabs stay, and SGR colour sequences when `colour`. */
export function shownOutput(text: string, colour: boolean): string {
  return text.replace(colour ? SGR_OR_UNSAFE : UNSAFE_BUT_LAYOUT, (m) => (m.length > 1 ? m : escapeChar(m)));
}

const UNSAFE_BUT_LAYOUT = /(?![\n\t])[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const SGR_OR_UNSAFE = /\x1b\[[0-9;]*m|(?![\n\t])[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

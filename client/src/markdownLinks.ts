/**
 * Markdown from the server links to files as `[label](file:///path#L12)` or `[label][1]` with
 * `[1]: file:///path#L12` (hovers open those). A
 * rendered Markdown view drops `file:` links (markdown-it refuses the scheme), so the explain panel
 * turns each into a command link that opens the file at the line. Pure: unit-tested without VS Code.
 */

/** What the open-location command receives: 0-based line; `column` 1 opens beside a panel, not over it. */
export interface OpenLocationArgs {
  uri: string;
  line: number;
  character: number;
  column?: number;
}

const FILE_LINK = /\]\((file:\/\/[^)\s#]*)(?:#L(\d+)(?:,(\d+))?)?\)/g;

/** A reference definition, `[1]: file:///p#L12`, on a line of its own. */
const FILE_REF = /^( {0,3}\[[^\]]+\]:[ \t]*)(file:\/\/[^\s#]*)(?:#L(\d+)(?:,(\d+))?)?[ \t]*$/gm;

/** Rewrites `](file:///p#L12)` and `[1]: file:///p#L12` to command links; other links stay as they are. */
export function fileLinksToCommands(markdown: string, command: string): string {
  const target = (uri: string, line?: string, col?: string) => {
    const args: OpenLocationArgs = { uri, line: line ? Number(line) - 1 : 0, character: col ? Number(col) - 1 : 0, column: 1 };
    // Parentheses encoded too: a bare ')' would end the Markdown link.
    return `command:${command}?${encodeURIComponent(JSON.stringify([args])).replace(/\(/g, '%28').replace(/\)/g, '%29')}`;
  };
  return markdown
    .replace(FILE_LINK, (_m, uri: string, line?: string, col?: string) => `](${target(uri, line, col)})`)
    .replace(FILE_REF, (_m, head: string, uri: string, line?: string, col?: string) => `${head}${target(uri, line, col)}`);
}

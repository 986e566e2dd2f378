/**
 * The matrix webview's page: a strict Content-Security-Policy (no inline code, only the nonce'd
 * script and the extension's own style), the toolbar, legend and the grid media/matrixView.js fills.
 * No vscode import: the bench loads the same page in headless Chromium.
 */
export interface MatrixPage {
  /** The webview's `cspSource` (where the script and style may come from). */
  cspSource: string;
  /** Fresh per page: only the script carrying it runs. */
  nonce: string;
  /** URIs of media/matrixView.js and media/matrixView.css as the webview can load them. */
  script: string;
  style: string;
  title: string;
}

export function matrixHtml({ cspSource, nonce, script, style, title }: MatrixPage): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource}; img-src ${cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${esc(title)}</title>
</head>
<body>
<header>
  <h1 id="title">${esc(title)}</h1>
  <input id="filter" type="search" placeholder="Filter: DAG, tag, team; or tag:x team:x role:x dag:x" aria-label="Filter DAGs and roles">
  <label><input id="unfold" type="checkbox"> Unfold default roles</label>
  <button id="exportCsv" title="Export the matrix as CSV (as airflow-access matrix --format csv)">Export CSV</button>
  <button id="exportMd" title="Export the matrix as Markdown (as airflow-access matrix)">Export Markdown</button>
  <button id="refresh" title="Compute the matrix again">Refresh</button>
  <span id="count" aria-live="polite"></span>
  <div class="legend" aria-label="Legend">
    <span><i class="g dag">R</i><i class="g dag">E</i><i class="g dag">D</i><i class="g dag">▸</i> read, edit, delete, DAG runs: per-DAG grant</span>
    <span><i class="g wide">R</i> DAG-wide (every DAG)</span>
    <span><i class="g reverted">E</i> reverted by access_control</span>
    <span><i class="g dag db">R</i> from the database only</span>
    <span><i class="g n">·</i> none</span>
    <span>Arrows move, Enter or click explains the pair</span>
  </div>
</header>
<div id="note" role="note" hidden></div>
<div id="loading">Computing the access matrix…</div>
<div id="scroller" tabindex="0" role="grid" aria-label="Access matrix: DAGs × roles">
  <div id="head" role="row"></div>
  <div id="body" role="rowgroup"><div id="rows"></div></div>
  <div id="empty" hidden>No DAG matches the filter.</div>
</div>
<footer id="detail" aria-live="polite"></footer>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}


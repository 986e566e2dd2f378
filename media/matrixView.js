// The access matrix webview (client/src/matrixPanel.ts): DAGs × roles, one compact cell per pair.
// Rows are virtualised (fixed height, one spacer, only the visible rows are in the DOM). The data
// arrives once as compact arrays (MatrixRequest.Result in server/src/protocol.ts). The pure part
// (filter, sort, HTML of a row range) is exported under Node for the unit tests and the bench.
(function () {
  'use strict';

  /** Row height and role column width in px: the same as --row-h and --cell-w in matrixView.css. */
  var ROW_H = 22;
  var CELL_W = 46;
  var OVERSCAN = 8;
  var COL_OVERSCAN = 2;
  var KINDS = ['read', 'edit', 'delete', 'runs'];
  var GLYPH = { read: 'R', edit: 'E', delete: 'D', runs: '▸' };
  var STATES = ['none', 'dag', 'wide', 'reverted'];
  var STATE_LABEL = { dag: 'per-DAG', wide: 'DAG-wide (every DAG)', reverted: 'reverted by access_control' };
  /** Column id of the folded default roles. */
  var FOLDED = -1;

  /** Same layout as server/src/engine/matrixCell.ts: 3 bits per kind, state in 2 bits, db in 1. */
  function decode(code, k) {
    var bits = (code >> (3 * k)) & 7;
    return { state: STATES[bits & 3], db: (bits & 4) !== 0 };
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  /** The folded column's code: per kind the strongest state among the folded roles (their cells are the same on every DAG). */
  function foldedCode(model, dag) {
    var out = 0;
    for (var k = 0; k < 4; k++) {
      var best = 0;
      for (var f = 0; f < model.folded.length; f++) {
        var bits = (model.codes[dag * model.roles.length + model.folded[f]] >> (3 * k)) & 7;
        var rank = [0, 2, 3, 1][bits & 3];
        if (rank > [0, 2, 3, 1][best & 3]) best = bits;
      }
      out |= best << (3 * k);
    }
    return out;
  }

  function codeAt(model, dag, col) {
    return col === FOLDED ? foldedCode(model, dag) : model.codes[dag * model.roles.length + col];
  }

  /** How much a cell grants, for sorting: per-DAG and DAG-wide kinds count, reverted ones do not. */
  function strength(code) {
    var n = 0;
    for (var k = 0; k < 4; k++) {
      var s = (code >> (3 * k)) & 3;
      if (s === 1 || s === 2) n += k === 3 ? 1 : 4 - k;
    }
    return n;
  }

  /**
   * Parses the filter box: `tag:x`, `team:x`, `role:x`, `dag:x`, or a bare word (DAG id, tag or
   * team). Words are ANDed; matching is case-insensitive and by substring.
   */
  function parseFilter(text) {
    var f = { dag: [], tag: [], team: [], role: [], any: [] };
    String(text || '').toLowerCase().split(/\s+/).forEach(function (w) {
      if (!w) return;
      var m = /^(dag|tag|team|role):(.*)$/.exec(w);
      if (m) {
        if (m[2]) f[m[1]].push(m[2]);
      } else f.any.push(w);
    });
    return f;
  }

  function someIncludes(list, needle) {
    for (var i = 0; i < list.length; i++) if (list[i] && list[i].toLowerCase().indexOf(needle) >= 0) return true;
    return false;
  }

  /**
   * The visible columns and rows. opts: { filter, unfold, sort: { col: 'dag' | role index | FOLDED, desc } }.
   * With a role filter only the matching roles are columns, and only DAGs one of them reaches are rows.
   */
  function computeView(model, opts) {
    var f = parseFilter(opts.filter);
    var foldedSet = {};
    var fold = !opts.unfold && model.folded.length > 0;
    if (fold) model.folded.forEach(function (j) { foldedSet[j] = true; });
    var cols = [];
    if (fold && !f.role.length) cols.push(FOLDED);
    for (var j = 0; j < model.roles.length; j++) {
      if (foldedSet[j] && !f.role.length) continue;
      var name = model.roles[j].toLowerCase();
      if (f.role.length && !f.role.every(function (r) { return name.indexOf(r) >= 0; })) continue;
      cols.push(j);
    }
    var rows = [];
    var n = model.dagIds.length;
    for (var i = 0; i < n; i++) {
      var id = model.dagIds[i].toLowerCase();
      var tags = model.tags[i] || [];
      var team = model.teams[i] || '';
      var ok = true;
      for (var a = 0; ok && a < f.dag.length; a++) ok = id.indexOf(f.dag[a]) >= 0;
      for (var b = 0; ok && b < f.tag.length; b++) ok = someIncludes(tags, f.tag[b]);
      for (var c = 0; ok && c < f.team.length; c++) ok = team.toLowerCase().indexOf(f.team[c]) >= 0;
      for (var d = 0; ok && d < f.any.length; d++) ok = id.indexOf(f.any[d]) >= 0 || someIncludes(tags, f.any[d]) || team.toLowerCase().indexOf(f.any[d]) >= 0;
      if (ok && f.role.length) {
        var reached = false;
        for (var e = 0; !reached && e < cols.length; e++) reached = strength(codeAt(model, i, cols[e])) > 0;
        ok = reached;
      }
      if (ok) rows.push(i);
    }
    var sort = opts.sort || { col: 'dag', desc: false };
    if (sort.col !== 'dag' && (sort.col === FOLDED || model.roles[sort.col] !== undefined)) {
      var key = new Int32Array(n);
      rows.forEach(function (r) { key[r] = strength(codeAt(model, r, sort.col)); });
      // Most access first; ties keep dag_id order (the rows arrive sorted by dag_id).
      rows.sort(function (x, y) { return (key[y] - key[x]) * (sort.desc ? -1 : 1) || x - y; });
    } else if (sort.desc) rows.reverse();
    return { rows: rows, cols: cols };
  }

  function colName(model, col) {
    return col === FOLDED ? 'Default roles' : model.roles[col];
  }

  function cellTitle(model, dag, col, code) {
    var parts = [];
    for (var k = 0; k < 4; k++) {
      var s = decode(code, k);
      if (s.state !== 'none') parts.push(KINDS[k] + ': ' + STATE_LABEL[s.state] + (s.db ? ', from the database' : ''));
    }
    var who = col === FOLDED ? model.foldedLine : model.roles[col];
    return who + ' on ' + model.dagIds[dag] + '\n' + (parts.join('\n') || 'no access') + '\nEnter or click: explain';
  }

  /** The tooltip and detail line of a cell (col: role index, FOLDED) or of a DAG's name (col -2). */
  function describe(model, dag, col) {
    if (col === -2) {
      var meta = [model.dagIds[dag]];
      if (model.tags[dag] && model.tags[dag].length) meta.push('tags: ' + model.tags[dag].join(', '));
      if (model.teams[dag]) meta.push('team: ' + model.teams[dag]);
      if (model.notImported[dag]) meta.push('⚠ ' + model.notImported[dag]);
      return meta.join('\n');
    }
    return cellTitle(model, dag, col, codeAt(model, dag, col));
  }

  var glyphCache = {};
  /** The glyphs of a cell (they depend on its code only); an empty cell has none (CSS draws its dots). */
  function glyphs(code) {
    var g = glyphCache[code];
    if (g !== undefined) return g;
    g = '';
    for (var k = 0; k < 4; k++) {
      var s = decode(code, k);
      g += s.state === 'none' ? '<i class="g n">·</i>' : '<i class="g ' + s.state + (s.db ? ' db' : '') + '">' + GLYPH[KINDS[k]] + '</i>';
    }
    return (glyphCache[code] = g);
  }

  function cellHtml(model, dag, col, focused) {
    var code = codeAt(model, dag, col);
    // No title here: the tooltip is made on hover (describe()), so a screen of rows stays small HTML.
    return '<div class="c' + (code === 0 ? ' e' : '') + (col === FOLDED ? ' fold' : '') + (focused ? ' focus' : '') + '" role="gridcell" data-col="' + col + '">' + (code === 0 ? '' : glyphs(code)) + '</div>';
  }

  /** HTML of the rows view.rows[first..last), one after the other; `focus` = { row, col } in view positions. */
  /**
   * HTML of the rows view.rows[first..last), one after the other, with the role columns
   * view.cols[colFirst..colLast) (default: all); `focus` = { row, col } in view positions.
   */
  function rowsHtml(model, view, first, last, focus, colFirst, colLast) {
    var c0 = colFirst || 0;
    var c1 = colLast === undefined ? view.cols.length : Math.min(colLast, view.cols.length);
    var out = [];
    for (var p = first; p < last && p < view.rows.length; p++) {
      var i = view.rows[p];
      // No style attribute: the Content-Security-Policy allows no inline style (render() places the block and its first cell).
      var h = '<div class="r" role="row" aria-rowindex="' + (p + 2) + '" data-pos="' + p + '">';
      h += '<div class="d' + (focus && focus.row === p && focus.col === -2 ? ' focus' : '') + (model.notImported[i] ? ' broken' : '') + '" role="rowheader" data-col="-2">' + esc(model.dagIds[i]) + '</div>';
      for (var c = c0; c < c1; c++) h += cellHtml(model, i, view.cols[c], focus && focus.row === p && focus.col === c);
      out.push(h + '</div>');
    }
    return out.join('');
  }

  function headerHtml(model, view, sort) {
    var arrow = function (col) { return sort && sort.col === col ? (sort.desc ? ' ▼' : ' ▲') : ''; };
    var h = '<div class="h d" role="columnheader" data-sort="dag" title="Sort by DAG id">DAG' + arrow('dag') + '</div>';
    view.cols.forEach(function (col) {
      var title = col === FOLDED ? 'Default roles, the same on every DAG: ' + model.foldedLine : model.roles[col] + (model.builtin[col] ? ' (default role)' : '');
      h += '<div class="h c' + (col === FOLDED ? ' fold' : '') + '" role="columnheader" data-sort="' + col + '" title="' + esc(title + ' · click to sort') + '"><span>' + esc(colName(model, col)) + arrow(col) + '</span></div>';
    });
    return h;
  }

  var core = { ROW_H: ROW_H, CELL_W: CELL_W, FOLDED: FOLDED, decode: decode, describe: describe, parseFilter: parseFilter, computeView: computeView, rowsHtml: rowsHtml, headerHtml: headerHtml, strength: strength, codeAt: codeAt };

  if (typeof module === 'object' && module.exports) {
    module.exports = core;
    return;
  }

  // ---- The webview: DOM, events, messages to and from the extension. ----
  var vscode = acquireVsCodeApi();
  var saved = vscode.getState() || {};
  var model = null;
  var view = { rows: [], cols: [] };
  var opts = { filter: saved.filter || '', unfold: !!saved.unfold, sort: saved.sort || { col: 'dag', desc: false } };
  var focus = { row: 0, col: 0 };
  var rendered = { first: -1, last: -1, colFirst: -1, colLast: -1, key: '' };

  var $ = function (id) { return document.getElementById(id); };
  var scroller = $('scroller');
  var head = $('head');
  var body = $('body');
  var rows = $('rows');
  var filterBox = $('filter');
  var unfoldBox = $('unfold');
  var count = $('count');
  filterBox.value = opts.filter;
  unfoldBox.checked = opts.unfold;

  function persist() {
    vscode.setState({ filter: opts.filter, unfold: opts.unfold, sort: opts.sort });
  }

  function refreshView() {
    // Keep the focus on the same DAG and role when they are still shown (unfolding shifts the columns).
    var focusedDag = view.rows[focus.row];
    var focusedCol = focus.col >= 0 ? view.cols[focus.col] : undefined;
    view = computeView(model, opts);
    var row = focusedDag === undefined ? -1 : view.rows.indexOf(focusedDag);
    var col = focusedCol === undefined ? -1 : view.cols.indexOf(focusedCol);
    focus.row = row >= 0 ? row : Math.min(focus.row, Math.max(0, view.rows.length - 1));
    if (col >= 0) focus.col = col;
    else focus.col = Math.min(focus.col, view.cols.length - 1);
    head.innerHTML = headerHtml(model, view, opts.sort);
    body.style.height = view.rows.length * ROW_H + 'px';
    count.textContent = view.rows.length + ' of ' + model.dagIds.length + ' DAGs · ' + view.cols.filter(function (c) { return c !== FOLDED; }).length + ' of ' + model.roles.length + ' roles' + (view.cols[0] === FOLDED ? ' (' + model.folded.length + ' default roles folded)' : '');
    $('empty').hidden = view.rows.length > 0;
    rendered.key = '';
    render();
  }

  /** Renders the visible rows and role columns (plus a margin), when they or the focus changed. */
  function render() {
    if (!model) return;
    var top = scroller.scrollTop;
    var height = scroller.clientHeight - head.offsetHeight;
    var first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
    var last = Math.min(view.rows.length, Math.ceil((top + height) / ROW_H) + OVERSCAN);
    var stickyW = head.firstElementChild ? head.firstElementChild.offsetWidth : 0;
    var left = scroller.scrollLeft;
    var colFirst = Math.max(0, Math.floor(left / CELL_W) - COL_OVERSCAN);
    var colLast = Math.min(view.cols.length, Math.ceil((left + scroller.clientWidth - stickyW) / CELL_W) + COL_OVERSCAN);
    var key = focus.row + ':' + focus.col;
    if (first === rendered.first && last === rendered.last && colFirst === rendered.colFirst && colLast === rendered.colLast && key === rendered.key) return;
    rendered = { first: first, last: last, colFirst: colFirst, colLast: colLast, key: key };
    // The block of rendered rows sits at the first one's offset inside the full-height body, and each
    // row's first rendered cell at its column (CSSOM, which the CSP allows; inline styles it drops).
    rows.style.transform = 'translateY(' + first * ROW_H + 'px)';
    rows.innerHTML = rowsHtml(model, view, first, last, focus, colFirst, colLast);
    if (colFirst > 0) {
      var shift = colFirst * CELL_W + 'px';
      for (var r = rows.firstElementChild; r; r = r.nextElementSibling) if (r.children[1]) r.children[1].style.marginLeft = shift;
    }
    var el = body.querySelector('.focus');
    if (el) el.id = 'active';
    scroller.setAttribute('aria-activedescendant', el ? 'active' : '');
    showDetail();
  }

  function open(pos, colPos) {
    var dag = view.rows[pos];
    if (dag === undefined) return;
    var col = colPos < 0 ? null : view.cols[colPos];
    vscode.postMessage({ type: 'open', dag: dag, role: col === null || col === FOLDED ? null : col });
  }

  function moveFocus(row, col) {
    focus.row = Math.max(0, Math.min(view.rows.length - 1, row));
    // Column positions: -2 is the DAG column, 0.. the role columns.
    focus.col = Math.max(-2, Math.min(view.cols.length - 1, col));
    if (focus.col === -1) focus.col = -2;
    var top = focus.row * ROW_H;
    var visible = scroller.clientHeight - head.offsetHeight;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + ROW_H > scroller.scrollTop + visible) scroller.scrollTop = top + ROW_H - visible;
    if (focus.col >= 0) {
      // Columns may not be rendered yet: place by arithmetic (the DAG column stays on the left).
      var stickyW = head.firstElementChild ? head.firstElementChild.offsetWidth : 0;
      var x = focus.col * CELL_W;
      if (x < scroller.scrollLeft) scroller.scrollLeft = x;
      else if (stickyW + x + CELL_W > scroller.scrollLeft + scroller.clientWidth) scroller.scrollLeft = stickyW + x + CELL_W - scroller.clientWidth;
    }
    render();
  }

  function cellAt(target) {
    var cell = target.closest && target.closest('[data-col]');
    var row = cell && cell.closest('[data-pos]');
    if (!cell || !row) return null;
    return { el: cell, dag: view.rows[Number(row.getAttribute('data-pos'))], col: Number(cell.getAttribute('data-col')) };
  }

  body.addEventListener('mouseover', function (e) {
    var c = cellAt(e.target);
    if (c && !c.el.title) c.el.title = describe(model, c.dag, c.col);
  });

  /** The focused cell, said in the detail line (read by screen readers: aria-live). */
  function showDetail() {
    var dag = view.rows[focus.row];
    var col = focus.col === -2 ? -2 : view.cols[focus.col];
    $('detail').textContent = dag === undefined || col === undefined ? '' : describe(model, dag, col).replace(/\n/g, ' · ');
  }

  scroller.addEventListener('scroll', render, { passive: true });
  window.addEventListener('resize', render);
  filterBox.addEventListener('input', function () {
    opts.filter = filterBox.value;
    persist();
    scroller.scrollTop = 0;
    refreshView();
  });
  unfoldBox.addEventListener('change', function () {
    opts.unfold = unfoldBox.checked;
    persist();
    refreshView();
  });
  head.addEventListener('click', function (e) {
    var h = e.target.closest('[data-sort]');
    if (!h) return;
    var col = h.getAttribute('data-sort') === 'dag' ? 'dag' : Number(h.getAttribute('data-sort'));
    opts.sort = { col: col, desc: opts.sort.col === col ? !opts.sort.desc : false };
    persist();
    refreshView();
  });
  body.addEventListener('click', function (e) {
    var cell = e.target.closest('[data-col]');
    var row = e.target.closest('[data-pos]');
    if (!cell || !row) return;
    var pos = Number(row.getAttribute('data-pos'));
    var colId = Number(cell.getAttribute('data-col'));
    var colPos = colId === -2 ? -2 : view.cols.indexOf(colId);
    focus = { row: pos, col: colPos };
    rendered.key = '';
    render();
    scroller.focus();
    open(pos, colPos);
  });
  scroller.addEventListener('keydown', function (e) {
    if (!model || !view.rows.length) return;
    var page = Math.max(1, Math.floor((scroller.clientHeight - head.offsetHeight) / ROW_H) - 1);
    var col = focus.col;
    switch (e.key) {
      case 'ArrowDown': moveFocus(focus.row + 1, col); break;
      case 'ArrowUp': moveFocus(focus.row - 1, col); break;
      case 'ArrowRight': moveFocus(focus.row, col === -2 ? 0 : col + 1); break;
      case 'ArrowLeft': moveFocus(focus.row, col <= 0 ? -2 : col - 1); break;
      case 'PageDown': moveFocus(focus.row + page, col); break;
      case 'PageUp': moveFocus(focus.row - page, col); break;
      case 'Home': moveFocus(e.ctrlKey ? 0 : focus.row, e.ctrlKey ? col : -2); break;
      case 'End': moveFocus(e.ctrlKey ? view.rows.length - 1 : focus.row, e.ctrlKey ? col : view.cols.length - 1); break;
      case 'Enter': case ' ': open(focus.row, focus.col); break;
      default: return;
    }
    e.preventDefault();
  });
  document.addEventListener('keydown', function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === 'f') {
      filterBox.focus();
      filterBox.select();
      e.preventDefault();
    }
  });
  $('exportCsv').addEventListener('click', function () { vscode.postMessage({ type: 'export', format: 'csv' }); });
  $('exportMd').addEventListener('click', function () { vscode.postMessage({ type: 'export', format: 'md' }); });
  $('refresh').addEventListener('click', function () { vscode.postMessage({ type: 'refresh' }); });

  window.addEventListener('message', function (e) {
    var msg = e.data;
    if (!msg || msg.type !== 'data') return;
    model = msg.model;
    $('loading').hidden = true;
    $('title').textContent = msg.title || 'Access matrix';
    unfoldBox.disabled = model.folded.length === 0;
    // Keycloak / AWS: the auth manager decides, so the empty grid is not "nobody has access".
    $('note').textContent = model.note || '';
    $('note').hidden = !model.note;
    refreshView();
  });
  vscode.postMessage({ type: 'ready' });
})();

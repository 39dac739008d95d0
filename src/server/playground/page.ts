/**
 * The playground served at `GET /`: one self-contained HTML page (inline CSS and JS, no external
 * requests, no framework). Pick a collection (`GET /v1/collections`), type a query, and it calls
 * `POST /v1/search` with `explain: true` to show the first-stage list and the reranked list side
 * by side with rank-movement arrows (`↑3`, `↓5`, `=`, `new`), the latency of every stage, and the
 * trace of a clicked result (its rank and score at every stage). `?collection=…&q=…` in the URL
 * runs a query on load. Data is written with `textContent`, never parsed as HTML.
 */

/** The playground page as an HTML string (the server mounts it at `GET /`). */
export function playgroundHtml(): string {
  return PAGE;
}

const STYLE = String.raw`
  :root { --fg: #1d2330; --muted: #667085; --line: #e4e7ec; --bg: #f7f8fa; --card: #fff; --accent: #3456d1;
          --up: #13804b; --down: #c0362c; --new: #6b3fd4; --sel: #fff4cc; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
  header { display: flex; align-items: baseline; gap: 12px; padding: 14px 20px; background: var(--card); border-bottom: 1px solid var(--line); }
  header h1 { font-size: 17px; margin: 0; }
  header span { color: var(--muted); }
  form { display: flex; flex-wrap: wrap; gap: 8px; padding: 14px 20px; align-items: center; }
  select, input, button { font: inherit; padding: 7px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: inherit; }
  #query { flex: 1 1 320px; }
  #k { width: 70px; }
  #search { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
  #search:disabled { opacity: .6; cursor: progress; }
  #key-box { color: var(--muted); }
  #error { margin: 0 20px 10px; padding: 8px 12px; border-radius: 6px; background: #fdecea; color: #8a1c13; }
  #error:empty { display: none; }
  #timings { display: flex; flex-wrap: wrap; gap: 6px; padding: 0 20px 12px; color: var(--muted); min-height: 20px; }
  .chip { background: var(--card); border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px; }
  .chip b { color: var(--fg); font-weight: 600; }
  main { display: grid; grid-template-columns: 1fr 1fr minmax(280px, .9fr); gap: 14px; padding: 0 20px 20px; }
  section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; min-width: 0; }
  section h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0; padding: 10px 14px; border-bottom: 1px solid var(--line); }
  ol { list-style: none; margin: 0; padding: 0; max-height: 70vh; overflow: auto; }
  li button { display: grid; grid-template-columns: 34px minmax(0, 1fr) auto; gap: 8px; width: 100%; text-align: left; border: 0; border-bottom: 1px solid var(--line); border-radius: 0; padding: 8px 12px; background: none; cursor: pointer; }
  li button:hover { background: #f2f4f7; }
  li.selected button { background: var(--sel); }
  .rank { color: var(--muted); font-variant-numeric: tabular-nums; }
  .title { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .cut .title { color: var(--muted); }
  .id { color: var(--muted); font-size: 12px; }
  .id-only { color: #475467; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
  .side { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .score { color: var(--muted); font-size: 12px; }
  .move { display: inline-block; min-width: 38px; font-weight: 600; }
  .move.up { color: var(--up); } .move.down { color: var(--down); } .move.same { color: var(--muted); } .move.new { color: var(--new); }
  #trace { padding: 12px 14px; }
  #trace .empty, .empty { color: var(--muted); padding: 12px 14px; }
  #trace h3 { margin: 0 0 4px; font-size: 15px; }
  #trace p { margin: 6px 0 10px; color: #344054; max-height: 200px; overflow: auto; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 5px 6px; border-bottom: 1px solid var(--line); }
  th { color: var(--muted); font-weight: 500; font-size: 12px; }
  @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
`;

const SCRIPT = String.raw`
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var state = { result: null, selected: null };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function headers() {
    var h = { 'content-type': 'application/json' };
    var key = $('key').value.trim();
    if (key) h.authorization = 'Bearer ' + key;
    return h;
  }
  function errorText(status, body) {
    if (body && typeof body === 'object') {
      if (body.error && typeof body.error === 'object' && body.error.message) return body.error.message;
      if (typeof body.error === 'string') return body.error;
      if (body.message) return body.message;
    }
    return 'HTTP ' + status;
  }
  function call(method, path, body) {
    return fetch(path, { method: method, headers: headers(), body: body ? JSON.stringify(body) : undefined }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (json) {
        if (!res.ok) {
          if (res.status === 401) $('key-box').open = true;
          throw new Error(errorText(res.status, json));
        }
        return json;
      });
    });
  }
  function showError(err) { $('error').textContent = err ? String(err.message || err) : ''; }
  function fmtMs(ms) { return ms >= 100 ? Math.round(ms) + ' ms' : ms.toFixed(1) + ' ms'; }
  function fmtScore(x) { return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(4); }

  /** Rank movement from the first stage to the reranked list. */
  function movement(before, after) {
    if (before === undefined) return { text: 'new', cls: 'new' };
    if (before === after) return { text: '=', cls: 'same' };
    return before > after ? { text: '\u2191' + (before - after), cls: 'up' } : { text: '\u2193' + (after - before), cls: 'down' };
  }

  function loadCollections() {
    return call('GET', '/v1/collections').then(function (json) {
      var select = $('collection');
      var wanted = new URLSearchParams(location.search).get('collection');
      select.textContent = '';
      (json.collections || []).forEach(function (name) {
        var o = el('option', null, name);
        o.value = name;
        select.appendChild(o);
      });
      if (wanted) select.value = wanted;
      if (!json.collections || json.collections.length === 0) showError(new Error('no collections: start the server with --collections <dir> holding shortlist collections'));
      else showError(null);
    });
  }

  /** The first-stage list (fusion when several retrievers ran) and the stage lists after it. */
  function stagesOf(result) {
    var lists = result.lists || [];
    var firstAt = 0;
    lists.forEach(function (l, i) { if (l.stage === 'fusion') firstAt = i; });
    return { first: lists[firstAt], later: lists.slice(firstAt + 1), all: lists };
  }

  function search(ev) {
    if (ev) ev.preventDefault();
    var body = { collection: $('collection').value, query: $('query').value, explain: true };
    var k = parseInt($('k').value, 10);
    if (k > 0) body.k = k;
    if (!body.collection || !body.query.trim()) { showError(new Error('pick a collection and type a query')); return; }
    $('search').disabled = true;
    showError(null);
    var url = new URL(location.href);
    url.searchParams.set('collection', body.collection);
    url.searchParams.set('q', body.query);
    history.replaceState(null, '', url);
    call('POST', '/v1/search', body).then(function (result) {
      state.result = result;
      state.selected = null;
      render();
      document.body.dataset.state = 'done';
    }).catch(function (err) {
      showError(err);
      document.body.dataset.state = 'error';
    }).then(function () { $('search').disabled = false; });
  }

  function render() {
    var result = state.result;
    var timings = $('timings');
    timings.textContent = '';
    (result.timings || []).forEach(function (t) {
      var chip = el('span', 'chip');
      chip.dataset.stage = t.stage;
      chip.appendChild(document.createTextNode(t.stage + ' '));
      chip.appendChild(el('b', null, fmtMs(t.ms)));
      timings.appendChild(chip);
    });
    var total = el('span', 'chip');
    total.appendChild(document.createTextNode('total '));
    total.appendChild(el('b', null, fmtMs(result.total_ms)));
    timings.appendChild(total);

    var stages = stagesOf(result);
    var firstRank = new Map();
    var firstList = stages.first ? stages.first.hits : [];
    firstList.forEach(function (h, i) { firstRank.set(h.id, i + 1); });
    var docs = new Map();
    result.hits.forEach(function (h) { docs.set(h.id, h); });

    $('first-title').textContent = 'First stage' + (stages.first ? ' \u00b7 ' + stages.first.stage : '') + ' (' + firstList.length + ')';
    var last = stages.later.length ? stages.later[stages.later.length - 1].stage : (stages.first ? stages.first.stage : 'results');
    $('rerank-title').textContent = 'Reranked \u00b7 ' + last + ' (' + result.hits.length + ')';

    var first = $('first-list');
    first.textContent = '';
    firstList.forEach(function (h, i) { first.appendChild(item(h.id, i + 1, h.score, docs.get(h.id) || (h.title ? { title: h.title, cut: true } : null), null)); });
    if (!firstList.length) first.appendChild(el('li', 'empty', 'no first-stage list (the server sent no "lists")'));

    var reranked = $('rerank-list');
    reranked.textContent = '';
    result.hits.forEach(function (h, i) { reranked.appendChild(item(h.id, i + 1, h.score, h, movement(firstRank.get(h.id), i + 1))); });
    if (!result.hits.length) reranked.appendChild(el('li', 'empty', 'no results'));
    renderTrace();
  }

  function item(id, rank, score, doc, move) {
    var li = el('li');
    li.dataset.id = id;
    if (state.selected === id) li.className = 'selected';
    var b = el('button');
    b.type = 'button';
    b.appendChild(el('span', 'rank', rank));
    var mid = el('span');
    var label = doc && (doc.title || doc.text);
    if (doc && doc.cut) li.classList.add('cut');
    mid.appendChild(el('div', label ? 'title' : 'title id-only', label || id));
    mid.appendChild(el('div', 'id', label ? (doc.cut ? id + ' \u00b7 not in the final list' : id) : 'not in the final list'));
    b.appendChild(mid);
    var side = el('span', 'side');
    if (move) {
      var m = el('span', 'move ' + move.cls, move.text);
      m.title = 'rank movement from the first stage';
      side.appendChild(m);
    }
    side.appendChild(el('div', 'score', fmtScore(score)));
    b.appendChild(side);
    b.addEventListener('click', function () { select(id); });
    li.appendChild(b);
    return li;
  }

  function select(id) {
    state.selected = id;
    document.querySelectorAll('li[data-id]').forEach(function (li) {
      li.classList.toggle('selected', li.dataset.id === id);
      if (li.dataset.id === id && li.parentElement.id === 'first-list') li.scrollIntoView({ block: 'nearest' });
    });
    renderTrace();
  }

  /** The clicked result: its text and its rank and score at every stage. */
  function renderTrace() {
    var box = $('trace');
    box.textContent = '';
    var id = state.selected;
    var result = state.result;
    if (!id || !result) { box.appendChild(el('div', 'empty', 'Click a result to see its trace.')); return; }
    var hit = result.hits.find(function (h) { return h.id === id; });
    box.appendChild(el('h3', null, hit && hit.title ? hit.title : listedTitle(result, id) || id));
    box.appendChild(el('div', 'id', id + (hit ? ' \u00b7 final rank ' + hit.rank : ' \u00b7 not in the final list')));
    if (hit && hit.text) box.appendChild(el('p', null, hit.text.length > 800 ? hit.text.slice(0, 799) + '\u2026' : hit.text));
    var rows = [];
    if (hit && hit.trace && hit.trace.length) {
      rows = hit.trace.map(function (t) { return { stage: t.stage, rank: t.rank, score: t.score }; });
    } else {
      (result.lists || []).forEach(function (l) {
        var at = l.hits.findIndex(function (h) { return h.id === id; });
        rows.push(at < 0 ? { stage: l.stage } : { stage: l.stage, rank: at + 1, score: l.hits[at].score });
      });
    }
    var table = el('table');
    var head = el('tr');
    ['stage', 'rank', 'score', 'move'].forEach(function (h) { head.appendChild(el('th', null, h)); });
    table.appendChild(head);
    var prev;
    rows.forEach(function (r) {
      var tr = el('tr');
      tr.dataset.stage = r.stage;
      tr.appendChild(el('td', null, r.stage));
      tr.appendChild(el('td', null, r.rank === undefined ? '\u2014' : r.rank));
      tr.appendChild(el('td', null, r.score === undefined ? '\u2014' : fmtScore(r.score)));
      var mv = r.rank === undefined || prev === undefined ? null : movement(prev, r.rank);
      tr.appendChild(el('td', mv ? 'move ' + mv.cls : null, mv ? mv.text : ''));
      table.appendChild(tr);
      if (r.rank !== undefined) prev = r.rank;
    });
    box.appendChild(table);
  }

  /** The title the server sent with a document in the stage lists (one the final list left out). */
  function listedTitle(result, id) {
    var title;
    (result.lists || []).forEach(function (l) {
      l.hits.forEach(function (h) { if (h.id === id && h.title) title = h.title; });
    });
    return title;
  }

  $('form').addEventListener('submit', search);
  $('key').value = sessionStorage.getItem('shortlist-key') || '';
  $('key').addEventListener('change', function () { sessionStorage.setItem('shortlist-key', $('key').value); loadCollections().catch(showError); });
  var params = new URLSearchParams(location.search);
  if (params.get('q')) $('query').value = params.get('q');
  loadCollections().then(function () {
    document.body.dataset.state = 'ready';
    if (params.get('q') && $('collection').value) search();
  }).catch(function (err) { showError(err); document.body.dataset.state = 'error'; });
})();
`;

const PAGE = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>shortlist playground</title>
<style>${STYLE}</style>
</head>
<body data-state="loading">
<header><h1>shortlist</h1><span>playground: first stage vs reranked</span></header>
<form id="form">
  <select id="collection" aria-label="collection"></select>
  <input id="query" type="search" placeholder="Type a query…" aria-label="query" autocomplete="off">
  <input id="k" type="number" min="1" placeholder="k" aria-label="results (k)" title="results (k); empty: the pipeline's k">
  <button id="search" type="submit">Search</button>
  <details id="key-box"><summary>API key</summary><input id="key" type="password" placeholder="Bearer key (kept in this tab)" aria-label="API key"></details>
</form>
<div id="error" role="alert"></div>
<div id="timings" aria-label="latency per stage"></div>
<main>
  <section><h2 id="first-title">First stage</h2><ol id="first-list"></ol></section>
  <section><h2 id="rerank-title">Reranked</h2><ol id="rerank-list"></ol></section>
  <section><h2>Trace</h2><div id="trace"><div class="empty">Run a query, then click a result to see its trace.</div></div></section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;

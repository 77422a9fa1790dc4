// weir dashboard: follows a materialized view's or a query's changelog
// over Server-Sent Events (/v1/views/NAME/changes,
// /v1/queries/ID/changes). The first event is the snapshot; each change
// after it is applied to the table (+I/+U add a row, -U/-D remove one
// equal row), so a reload or a reconnect starts from the right table.
// The chart plots a numeric column against the first TIMESTAMP column,
// one line per value of the first VARCHAR column. No libraries.
'use strict';

const $ = (id) => document.getElementById(id);
const COLORS = ['#2b6cb0', '#c05621', '#2f855a', '#b83280', '#6b46c1',
                '#c53030', '#2c7a7b', '#975a16', '#4a5568', '#d69e2e'];

const state = {
  es: null,          // the EventSource
  columns: [],       // [{name, type}]
  rows: new Map(),   // JSON of a row -> {row, count}
  changes: 0,
  dirty: false,
  feed: null,        // {kind: 'view'|'query', name}
  owned: null,       // id of the query this page started and follows
};

function token() { return localStorage.getItem('weir.token') || ''; }

function withToken(url) {
  const t = token();
  if (!t) return url;
  return url + (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(t);
}

async function api(method, path, body) {
  const headers = {};
  if (token()) headers['Authorization'] = 'Bearer ' + token();
  const r = await fetch(path, {method, body, headers});
  if (r.status === 401) {
    $('tokenlabel').hidden = false;
    throw new Error('this server needs a token: enter it above');
  }
  const doc = await r.json();
  if (!r.ok) {
    const e = doc.error || {};
    throw new Error(e.message || ('HTTP ' + r.status));
  }
  return doc;
}

function showError(msg) {
  $('error').textContent = msg || '';
  $('error').hidden = !msg;
}

function setStatus(text, cls) {
  const s = $('status');
  s.textContent = text;
  s.className = 'status ' + (cls || '');
}

async function loadViews() {
  try {
    const doc = await api('GET', '/v1/views');
    const sel = $('views');
    const cur = state.feed && state.feed.kind === 'view' ? state.feed.name : '';
    sel.length = 1;
    for (const v of doc.views) {
      const o = document.createElement('option');
      o.value = o.textContent = v.name;
      if (v.name === cur) o.selected = true;
      sel.appendChild(o);
    }
  } catch (e) {
    showError(e.message);
  }
}

// ---- the changelog ---------------------------------------------------------

function applyChange(op, row) {
  const k = JSON.stringify(row);
  const ent = state.rows.get(k);
  if (op === '+I' || op === '+U') {
    if (ent) ent.count++;
    else state.rows.set(k, {row, count: 1});
  } else if (ent) {
    if (--ent.count === 0) state.rows.delete(k);
  }
  state.changes++;
}

function subscribe(feed) {
  if (state.es) state.es.close();
  // Leaving a query this page started: stop it (the server also stops it
  // when its stream closes, since it was POSTed with ?owned=1).
  if (state.owned && !(feed.kind === 'query' && feed.name === state.owned)) {
    api('DELETE', '/v1/queries/' + encodeURIComponent(state.owned))
        .catch(() => {});
    state.owned = null;
  }
  state.feed = feed;
  state.columns = [];
  state.rows = new Map();
  state.changes = 0;
  showError('');
  location.hash = feed.kind + '=' + encodeURIComponent(feed.name);
  $('title').textContent = (feed.kind === 'view' ? 'View ' : 'Query ') + feed.name;
  const path = feed.kind === 'view'
      ? '/v1/views/' + encodeURIComponent(feed.name) + '/changes'
      : '/v1/queries/' + encodeURIComponent(feed.name) + '/changes';
  const es = new EventSource(withToken(path));
  state.es = es;
  setStatus('connecting');
  es.addEventListener('snapshot', (ev) => {
    const d = JSON.parse(ev.data);
    state.columns = d.columns;
    state.rows = new Map();
    state.changes = 0;
    for (const r of d.rows) applyChange('+I', r);
    state.changes = 0;
    setStatus('live', 'live');
    schedule();
  });
  es.addEventListener('change', (ev) => {
    const d = JSON.parse(ev.data);
    applyChange(d.op, d.row);
    schedule();
  });
  es.addEventListener('end', (ev) => {
    const d = JSON.parse(ev.data);
    setStatus('ended: ' + d.state, 'down');
    if (d.error) showError(d.error);
    es.close();
  });
  es.addEventListener('error', (ev) => {
    if (ev.data) {           // the server's own error event
      showError(JSON.parse(ev.data).reason);
      setStatus('cut off', 'down');
      return;
    }
    if (es.readyState === EventSource.CLOSED) {
      setStatus('disconnected', 'down');
    } else {
      setStatus('reconnecting', 'down');
    }
  });
}

// ---- drawing -----------------------------------------------------------------

function schedule() {
  if (state.dirty) return;
  state.dirty = true;
  requestAnimationFrame(() => {
    state.dirty = false;
    render();
  });
}

function cmp(a, b) {
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function sortedRows() {
  const out = [];
  for (const {row, count} of state.rows.values())
    for (let i = 0; i < count; i++) out.push(row);
  out.sort(cmp);
  return out;
}

function isNum(t) { return t === 'BIGINT' || t === 'DOUBLE'; }

function render() {
  const rows = sortedRows();
  const head = $('live').tHead.rows[0];
  const names = state.columns.map((c) => c.name);
  if (head.dataset.cols !== names.join('\u0001')) {
    head.textContent = '';
    for (const c of state.columns) {
      const th = document.createElement('th');
      th.textContent = c.name;
      th.title = c.type;
      head.appendChild(th);
    }
    head.dataset.cols = names.join('\u0001');
  }
  const body = $('live').tBodies[0];
  const limit = Math.min(rows.length, 2000);
  while (body.rows.length > limit) body.deleteRow(-1);
  for (let i = 0; i < limit; i++) {
    const tr = body.rows[i] || body.insertRow();
    const r = rows[i];
    const key = JSON.stringify(r);
    if (tr.dataset.key === key) continue;
    tr.dataset.key = key;
    tr.textContent = '';
    r.forEach((v, j) => {
      const td = tr.insertCell();
      td.textContent = v === null ? 'NULL' : String(v);
      if (state.columns[j] && isNum(state.columns[j].type)) td.className = 'num';
    });
  }
  $('nrows').textContent = rows.length;
  $('nchanges').textContent = state.changes;
  drawChart(rows);
}

function tsValue(s) {
  if (typeof s !== 'string') return NaN;
  return Date.parse(s.replace(' ', 'T') + (s.endsWith('Z') ? '' : 'Z'));
}

function drawChart(rows) {
  const cv = $('chart');
  const g = cv.getContext('2d');
  const W = cv.width, H = cv.height;
  g.clearRect(0, 0, W, H);
  const cols = state.columns;
  const ix = cols.findIndex((c) => c.type === 'TIMESTAMP');
  let iy = -1;
  for (let j = cols.length - 1; j >= 0; j--)
    if (isNum(cols[j].type) && j !== ix) { iy = j; break; }
  const is = cols.findIndex((c) => c.type === 'VARCHAR');
  $('legend').textContent = '';
  if (ix < 0 || iy < 0) {
    $('charttitle').textContent = 'Chart (needs a TIMESTAMP and a number)';
    return;
  }
  $('charttitle').textContent = cols[iy].name + ' by ' + cols[ix].name +
      (is >= 0 ? ' per ' + cols[is].name : '');
  const series = new Map();
  let x0 = Infinity, x1 = -Infinity, y0 = 0, y1 = -Infinity;
  for (const r of rows) {
    const x = tsValue(r[ix]), y = Number(r[iy]);
    if (!isFinite(x) || r[iy] === null || !isFinite(y)) continue;
    const k = is >= 0 ? String(r[is]) : cols[iy].name;
    if (!series.has(k)) series.set(k, []);
    series.get(k).push([x, y]);
    x0 = Math.min(x0, x); x1 = Math.max(x1, x);
    y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  if (!series.size) return;
  if (x1 === x0) { x0 -= 1000; x1 += 1000; }
  if (y1 <= y0) y1 = y0 + 1;
  const L = 56, R = 12, T = 12, B = 28;
  const px = (x) => L + (x - x0) / (x1 - x0) * (W - L - R);
  const py = (y) => H - B - (y - y0) / (y1 - y0) * (H - T - B);
  g.strokeStyle = '#d9dde6';
  g.fillStyle = '#6b7385';
  g.font = '11px sans-serif';
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = y0 + (y1 - y0) * i / 4;
    g.beginPath(); g.moveTo(L, py(y)); g.lineTo(W - R, py(y)); g.stroke();
    g.fillText(String(Math.round(y * 100) / 100), 4, py(y) + 4);
  }
  for (let i = 0; i <= 3; i++) {
    const x = x0 + (x1 - x0) * i / 3;
    const t = new Date(x).toISOString().slice(11, 19);
    g.fillText(t, Math.min(px(x) - 20, W - 52), H - 8);
  }
  let c = 0;
  for (const [name, pts] of [...series.entries()].sort()) {
    const color = COLORS[c++ % COLORS.length];
    pts.sort((a, b) => a[0] - b[0]);
    g.strokeStyle = g.fillStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    pts.forEach(([x, y], i) => (i ? g.lineTo(px(x), py(y)) : g.moveTo(px(x), py(y))));
    g.stroke();
    for (const [x, y] of pts) { g.beginPath(); g.arc(px(x), py(y), 2.5, 0, 7); g.fill(); }
    const s = document.createElement('span');
    s.style.setProperty('--c', color);
    s.textContent = name;
    $('legend').appendChild(s);
  }
}

// ---- controls ------------------------------------------------------------------

$('views').addEventListener('change', (ev) => {
  if (ev.target.value) subscribe({kind: 'view', name: ev.target.value});
});
$('refresh').addEventListener('click', loadViews);
$('token').value = token();
$('token').addEventListener('change', (ev) => {
  localStorage.setItem('weir.token', ev.target.value);
  loadViews();
  if (state.feed) subscribe(state.feed);
});
$('queryform').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const sql = $('sql').value.trim();
  if (!sql) return;
  try {
    const doc = await api('POST', '/v1/statements?owned=1', sql);
    if (doc.id) {
      subscribe({kind: 'query', name: doc.id});
      state.owned = doc.id;
    }
    else showError((doc.statements || []).map((s) => s.message || '').join('\n'));
    loadViews();
  } catch (e) {
    showError(e.message);
  }
});

function fromLocation() {
  const p = new URLSearchParams(location.hash.slice(1) || location.search.slice(1));
  if (p.get('token')) localStorage.setItem('weir.token', p.get('token'));
  if (p.get('view')) return {kind: 'view', name: p.get('view')};
  if (p.get('query')) return {kind: 'query', name: p.get('query')};
  return null;
}

const initial = fromLocation();
loadViews();
if (initial) subscribe(initial);

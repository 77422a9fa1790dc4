// tests/server/dashboard_cdp.js — the dashboard in a real browser:
// headless chromium (Chrome DevTools Protocol over a WebSocket) loads
// `weir serve`'s page at /#view=per10, rows are fed through the HTTP API,
// and the rendered table is read back from the DOM and compared with the
// table computed here from the rows fed (and with GET /v1/views/per10).
// Then the page is reloaded (snapshot first) and checked again, and a
// screenshot is saved.
//
// usage: node --experimental-websocket dashboard_cdp.js BASE_URL OUT_DIR
'use strict';
const {spawn} = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const BASE = process.argv[2];
const OUT = process.argv[3];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function fail(msg) {
  console.error('FAIL: ' + msg);
  process.exitCode = 1;
  throw new Error(msg);
}

async function sql(text) {
  const r = await fetch(BASE + '/v1/statements', {method: 'POST', body: text});
  const doc = await r.json();
  if (!r.ok) fail('POST ' + text + ' -> ' + JSON.stringify(doc));
  return doc;
}

// ---- data and the table expected from it -------------------------------------
const fed = [];
function ts(sec) {
  const m = Math.floor(sec / 60), s = sec % 60;
  return '2024-01-01 00:' + String(m).padStart(2, '0') + ':' +
         String(s).padStart(2, '0');
}
async function feed(rows) {
  fed.push(...rows);
  const vals = rows.map(([t, s, x]) => `('${t}', ${s}, TIMESTAMP '${ts(x)}')`);
  await sql('INSERT INTO scores VALUES ' + vals.join(', ') + ';');
}
// EMIT CHANGES: every window's running sum, late rows (window end at or
// before the watermark when they arrive) dropped.
let wm = -Infinity;
const acc = new Map();
function expectBatch(rows) {
  for (const [t, s, x] of rows) {
    const w = x - (x % 10);
    if (w + 10 <= wm) continue;
    const k = ts(w) + '|' + t;
    acc.set(k, (acc.get(k) || 0) + s);
  }
  for (const [, , x] of rows) wm = Math.max(wm, x - 1);
}
function expected() {
  return [...acc.entries()].map(([k, v]) => {
    const [w, t] = k.split('|');
    return [w, t, String(v)];
  }).sort((a, b) => (a.join() < b.join() ? -1 : 1));
}

// ---- CDP -------------------------------------------------------------------------
let ws, nextId = 1;
const pending = new Map();
function cdp(method, params = {}) {
  const id = nextId++;
  ws.send(JSON.stringify({id, method, params}));
  return new Promise((resolve, reject) => {
    pending.set(id, {resolve, reject});
  });
}
async function evaluate(expr) {
  const r = await cdp('Runtime.evaluate', {expression: expr, returnByValue: true});
  if (r.exceptionDetails) fail('evaluate: ' + JSON.stringify(r.exceptionDetails));
  return r.result.value;
}
const TABLE_JS = `JSON.stringify([...document.querySelectorAll('#live tbody tr')]
  .map(tr => [...tr.cells].map(td => td.textContent)))`;
async function pageTable() { return JSON.parse(await evaluate(TABLE_JS)); }
async function waitTable(want, what) {
  const deadline = Date.now() + 20000;
  let got;
  while (Date.now() < deadline) {
    got = await pageTable();
    if (JSON.stringify(got) === JSON.stringify(want)) return got;
    await sleep(100);
  }
  fail(what + ': page shows ' + JSON.stringify(got) + ', want ' +
       JSON.stringify(want));
}

async function main() {
  await sql(`CREATE SOURCE scores (team VARCHAR, score BIGINT, ts TIMESTAMP,
               WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
             WITH (connector = 'memory');
             CREATE MATERIALIZED VIEW per10 AS
               SELECT window_start, team, SUM(score) AS total
               FROM TUMBLE(scores, ts, INTERVAL '10' SECOND)
               GROUP BY window_start, window_end, team EMIT CHANGES;`);
  const b1 = [['red', 5, 1], ['blue', 7, 2], ['red', 3, 4], ['blue', 1, 8],
              ['red', 4, 9]];
  await feed(b1);
  expectBatch(b1);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-chromium-'));
  const chrome = spawn('chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--hide-scrollbars',
    '--user-data-dir=' + dir, '--remote-debugging-port=0',
    '--window-size=1280,900', 'about:blank'], {stdio: ['ignore', 'ignore', 'pipe']});
  let stderr = '';
  chrome.stderr.on('data', (d) => { stderr += d; });
  try {
    const portFile = path.join(dir, 'DevToolsActivePort');
    for (let i = 0; i < 300 && !fs.existsSync(portFile); i++) await sleep(100);
    if (!fs.existsSync(portFile)) fail('chromium did not start: ' + stderr);
    await sleep(100);
    const port = fs.readFileSync(portFile, 'utf8').split('\n')[0];
    const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const page = list.find((t) => t.type === 'page');
    ws = new WebSocket(page.webSocketDebuggerUrl);
    await new Promise((r, j) => { ws.onopen = r; ws.onerror = j; });
    ws.onmessage = (ev) => {
      const m = JSON.parse(ev.data);
      if (m.id && pending.has(m.id)) {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error) p.reject(new Error(JSON.stringify(m.error)));
        else p.resolve(m.result);
      }
    };
    await cdp('Page.enable');
    await cdp('Runtime.enable');
    await cdp('Page.navigate', {url: BASE + '/#view=per10'});
    // 1. The snapshot.
    await waitTable(expected(), 'snapshot');
    // 2. Changes while the page is open: updates of open windows
    //    (retractions) and new windows.
    for (const b of [[['red', 10, 6], ['green', 2, 14]],
                     [['blue', 3, 15], ['red', 1, 17], ['green', 6, 22]],
                     [['red', 2, 23], ['blue', 9, 25], ['green', 1, 3]]]) {
      await feed(b);
      expectBatch(b);
      await waitTable(expected(), 'after changes');
    }
    const snap = await (await fetch(BASE + '/v1/views/per10')).json();
    const server = snap.rows.map((r) => r.map(String))
        .sort((a, b) => (a.join() < b.join() ? -1 : 1));
    if (JSON.stringify(server) !== JSON.stringify(expected()))
      fail('server snapshot ' + JSON.stringify(server));
    const nChanges = Number(await evaluate(`document.getElementById('nchanges').textContent`));
    if (!(nChanges > 0)) fail('no changes applied on the page');
    const legend = await evaluate(`document.getElementById('legend').textContent`);
    if (legend !== 'bluegreenred') fail('chart legend: ' + legend);
    // The chart drew something: count non-white pixels of the canvas.
    const inked = await evaluate(`(() => { const c = document.getElementById('chart');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })()`);
    if (!(inked > 500)) fail('chart is empty (' + inked + ' pixels)');
    // 3. Reload: snapshot first, same table.
    await cdp('Page.reload', {ignoreCache: true});
    await sleep(300);
    await waitTable(expected(), 'after reload');
    const status = await evaluate(`document.getElementById('status').textContent`);
    if (status !== 'live') fail('status after reload: ' + status);
    await sleep(300);
    const shot = await cdp('Page.captureScreenshot', {format: 'png'});
    fs.mkdirSync(OUT, {recursive: true});
    const file = path.join(OUT, 'dashboard.png');
    fs.writeFileSync(file, Buffer.from(shot.data, 'base64'));
    console.log('ok: dashboard table matches (' + expected().length +
                ' rows, ' + nChanges + ' changes applied); screenshot ' + file);
  } finally {
    if (ws) ws.close();
    chrome.kill('SIGTERM');
    await new Promise((r) => chrome.once('exit', r));
    try {
      fs.rmSync(dir, {recursive: true, force: true, maxRetries: 10,
                      retryDelay: 200});
    } catch (e) {
      console.error('note: could not remove ' + dir + ': ' + e.message);
    }
  }
}

main().catch((e) => {
  if (!process.exitCode) console.error('FAIL: ' + e.stack);
  process.exitCode = 1;
});

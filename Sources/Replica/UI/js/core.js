const TOKEN_KEY = 'AI_TOOLKIT_AUTH';
// 2025-10: ostris/ai-toolkit at c984369294d9f5c5318e727da2fc203eaf6f373e (2025-10-30, 0.7.2).
const OLD_UI = UI_VERSION === '2025-10';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = value;
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const ICON_PATHS = {
  'play': '<polygon points="6 3 20 12 6 21 6 3"/>',
  'x': '<path d="M18 6 6 18"/><path d="m6 6 12 12"/>',
  'pause': '<rect x="14" y="4" width="4" height="16" rx="1"/><rect x="6" y="4" width="4" height="16" rx="1"/>',
  'eye': '<path d="M2.062 12.348a1 1 0 0 1 0-.696 10.75 10.75 0 0 1 19.876 0 1 1 0 0 1 0 .696 10.75 10.75 0 0 1-19.876 0"/><circle cx="12" cy="12" r="3"/>',
  'pen': '<path d="M21.174 6.812a1 1 0 0 0-3.986-3.987L3.842 16.174a2 2 0 0 0-.5.83l-1.321 4.352a.5.5 0 0 0 .623.622l4.353-1.32a2 2 0 0 0 .83-.497z"/>',
  'trash-2': '<path d="M3 6h18"/><path d="M19 6v14c0 1-1 2-2 2H7c-1 0-2-1-2-2V6"/><path d="M8 6V4c0-1 1-2 2-2h4c1 0 2 1 2 2v2"/><line x1="10" x2="10" y1="11" y2="17"/><line x1="14" x2="14" y1="11" y2="17"/>',
  'settings': '<path d="M12.22 2h-.44a2 2 0 0 0-2 2v.18a2 2 0 0 1-1 1.73l-.43.25a2 2 0 0 1-2 0l-.15-.08a2 2 0 0 0-2.73.73l-.22.38a2 2 0 0 0 .73 2.73l.15.1a2 2 0 0 1 1 1.72v.51a2 2 0 0 1-1 1.74l-.15.09a2 2 0 0 0-.73 2.73l.22.38a2 2 0 0 0 2.73.73l.15-.08a2 2 0 0 1 2 0l.43.25a2 2 0 0 1 1 1.73V20a2 2 0 0 0 2 2h.44a2 2 0 0 0 2-2v-.18a2 2 0 0 1 1-1.73l.43-.25a2 2 0 0 1 2 0l.15.08a2 2 0 0 0 2.73-.73l.22-.39a2 2 0 0 0-.73-2.73l-.15-.08a2 2 0 0 1-1-1.74v-.5a2 2 0 0 1 1-1.74l.15-.09a2 2 0 0 0 .73-2.73l-.22-.38a2 2 0 0 0-2.73-.73l-.15.08a2 2 0 0 1-2 0l-.43-.25a2 2 0 0 1-1-1.73V4a2 2 0 0 0-2-2z"/><circle cx="12" cy="12" r="3"/>',
  'house': '<path d="M15 21v-8a1 1 0 0 0-1-1h-4a1 1 0 0 0-1 1v8"/><path d="M3 10a2 2 0 0 1 .709-1.528l7-5.999a2 2 0 0 1 2.582 0l7 5.999A2 2 0 0 1 21 10v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/>',
  'plus': '<path d="M5 12h14"/><path d="M12 5v14"/>',
  'list': '<path d="M3 12h.01"/><path d="M3 18h.01"/><path d="M3 6h.01"/><path d="M8 12h13"/><path d="M8 18h13"/><path d="M8 6h13"/>',
  'database': '<ellipse cx="12" cy="5" rx="9" ry="3"/><path d="M3 5V19A9 3 0 0 0 21 19V5"/><path d="M3 12A9 3 0 0 0 21 12"/>',
  'download': '<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4"/><polyline points="7 10 12 15 17 10"/><line x1="12" x2="12" y1="15" y2="3"/>',
  'chevron-down': '<path d="m6 9 6 6 6-6"/>',
  'chevron-left': '<path d="m15 18-6-6 6-6"/>',
  'heart': '<path d="M19 14c1.49-1.46 3-3.21 3-5.5A5.5 5.5 0 0 0 16.5 3c-1.76 0-3 .5-4.5 2-1.5-1.5-2.74-2-4.5-2A5.5 5.5 0 0 0 2 8.5c0 2.3 1.5 4.05 3 5.5l7 7Z"/>',
  'file-text': '<path d="M15 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V7Z"/><path d="M14 2v4a2 2 0 0 0 2 2h4"/><path d="M10 9H8"/><path d="M16 13H8"/><path d="M16 17H8"/>',
  'image-plus': '<path d="M16 5h6"/><path d="M19 2v6"/><path d="M21 11.5V19a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h7.5"/><path d="m21 15-3.086-3.086a2 2 0 0 0-2.828 0L6 21"/><circle cx="9" cy="9" r="2"/>',
  'cpu': '<rect width="16" height="16" x="4" y="4" rx="2"/><rect width="6" height="6" x="9" y="9" rx="1"/><path d="M15 2v2"/><path d="M15 20v2"/><path d="M2 15h2"/><path d="M2 9h2"/><path d="M20 15h2"/><path d="M20 9h2"/><path d="M9 2v2"/><path d="M9 20v2"/>',
};

function icon(name, size = 18) {
  const holder = document.createElement('span');
  holder.innerHTML = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" class="lucide lucide-${name}">${ICON_PATHS[name]}</svg>`;
  return holder.firstChild;
}

/// An icon-only button, as the real action bars render them: no text, no aria-label.
function iconButton(name, onClick, extraClass = '') {
  return h('button', { type: 'button', class: `icon-btn ${extraClass}`, onClick }, icon(name));
}

const encPath = (folder, file) => `${encodeURIComponent(folder)}/${encodeURIComponent(file)}`;
function splitPath(path) {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? ['', path] : [path.slice(0, cut), path.slice(cut + 1)];
}
const basename = (path) => splitPath(path)[1];
// The 2025-10 UI put a whole path into one encoded segment; e6cffbc0 (2026-08-15) split it.
const imgURL = (path, thumb) => OLD_UI ? `/api/img/${encodeURIComponent(path)}` : `/api/img/${encPath(...splitPath(path))}${thumb ? '?thumb=1' : ''}`;
const fileURL = (path) => OLD_UI ? `/api/files/${encodeURIComponent(path)}` : `/api/files/${encPath(...splitPath(path))}`;
function formatBytes(n) {
  if (!(n >= 0)) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

// ---- API client -------------------------------------------------------------------------------
class HttpError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}
const storedToken = () => localStorage.getItem(TOKEN_KEY) || '';
function authHeaders(extra = {}) {
  const token = storedToken();
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

async function api(method, path, body) {
  const init = { method, headers: authHeaders() };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = text;
  try { data = text ? JSON.parse(text) : null; } catch (_) { /* plain text answers stay text */ }
  if (response.status === 401) {
    signOut();
    throw new HttpError(401, data);
  }
  if (!response.ok) throw new HttpError(response.status, data);
  return data;
}

// ---- Lifetimes: everything a page or a signed-in session starts stops with it -------------------
class Scope {
  constructor() { this.alive = true; this.cleanups = []; }
  onDispose(fn) { this.cleanups.push(fn); }
  dispose() {
    this.alive = false;
    for (const fn of this.cleanups.splice(0)) { try { fn(); } catch (_) { /* already gone */ } }
  }
}

/// Runs `task` now and again `ms` after each run finishes (never overlapping), until the scope ends.
function poll(scope, ms, task) {
  let timer = null;
  scope.onDispose(() => clearTimeout(timer));
  const run = async () => {
    if (!scope.alive) return;
    try { await task(); } catch (error) { if (!(error instanceof HttpError)) console.warn(error); }
    if (scope.alive) timer = setTimeout(run, ms);
  };
  run();
}

/// The 2025-10 hooks' polling (`hooks/use*.tsx`, `components/GPUMonitor.tsx` at c9843692): `task` now,
/// then every `ms` on the clock whether or not the last one answered; `skipWhileBusy` as GPUMonitor's
/// `isFetchingGpuRef`.
function every(scope, ms, task, skipWhileBusy = false) {
  let busy = false;
  const run = async () => {
    if (!scope.alive || (skipWhileBusy && busy)) return;
    busy = true;
    try { await task(); } catch (error) { if (!(error instanceof HttpError)) console.warn(error); }
    busy = false;
  };
  const timer = setInterval(run, ms);
  scope.onDispose(() => clearInterval(timer));
  run();
}

/// Polled views repaint only when their data changed, so the elements a user (or a flow) is about to
/// click stay the same nodes between polls, as React's reconciliation keeps them.
function changeGuard() {
  let last;
  return (data) => {
    const key = JSON.stringify(data);
    if (key === last) return false;
    last = key;
    return true;
  };
}

/// A tiny observable value for data shared across pages (active jobs, GPU sample).
function store(initial) {
  const listeners = new Set();
  const s = {
    value: initial,
    set(v) { s.value = v; for (const fn of [...listeners]) fn(v); },
    watch(scope, fn) { listeners.add(fn); scope.onDispose(() => listeners.delete(fn)); fn(s.value); },
  };
  return s;
}
const activeJobs = store([]);
const gpuInfo = store(null);      // {hasNvidiaSmi, gpus:[...]} once the first sample arrived
const cloudInfo = store(null);

// ---- Router -----------------------------------------------------------------------------------
const routes = [];
function route(pattern, render) { routes.push({ pattern, render }); }
function navigate(path, replace = false) {
  history[replace ? 'replaceState' : 'pushState']({}, '', path);
  renderApp();
}
window.addEventListener('popstate', () => renderApp());
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a[href]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if (link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});

// ---- GPU monitor ------------------------------------------------------------------------------
function handleMonitorEvent(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if ((name !== 'init' && name !== 'sample') || data.length === 0) return;
  try {
    const sample = JSON.parse(data.join('\n'));
    if (sample && sample.gpu) gpuInfo.set(sample.gpu);
  } catch (error) { console.warn('monitor: bad event', error); }
}

/// The SSE stream read with fetch() and a reader (EventSource cannot send the Bearer header);
/// opened on every page, signed in or not, and reopened 2 s after any close or error.
async function runMonitorStream() {
  for (;;) {
    try {
      const response = await fetch('/api/monitor', { headers: authHeaders({ Accept: 'text/event-stream' }), cache: 'no-store' });
      if (response.ok && response.body) {
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer = (buffer + decoder.decode(value, { stream: true })).replace(/\r\n?/g, '\n');
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            handleMonitorEvent(buffer.slice(0, cut));
            buffer = buffer.slice(cut + 2);
          }
        }
      } else {
        if (response.body) await response.body.cancel();
        // As the real reader (hooks/useMonitorStream.tsx at 27a03a91): any 401 means the session is
        // gone, the token is removed and the login form shown. Its first request goes out before
        // login, so a 401 that lands after the password was stored signs the page out again.
        if (response.status === 401) signOut();
      }
    } catch (_) { /* network error: retry below */ }
    await sleep(2000);
  }
}

/// Next's dev server keeps a hot-reload socket open on every page; the replica's dev mode does the same.
function runHotReloadSocket() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/_next/webpack-hmr`;
  let pinger = null;
  const socket = new WebSocket(url);
  socket.addEventListener('open', () => {
    pinger = setInterval(() => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ event: 'ping', page: location.pathname }));
    }, 5000);
  });
  socket.addEventListener('message', (event) => {
    let message = event.data;
    try { message = JSON.parse(event.data); } catch (_) { /* not JSON: log as text */ }
    console.debug('[HMR]', message);
  });
  socket.addEventListener('close', () => {
    clearInterval(pinger);
    setTimeout(runHotReloadSocket, 2000);
  });
}

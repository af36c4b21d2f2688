const root = document.getElementById('root');
const auth = { state: 'checking', session: null };
let pageScope = null;
let shell = null;

// The server renders AuthWrapper's form into the page when a password is set (`app/layout.tsx`,
// `components/AuthWrapper.tsx`; `isAuthorizedState` starts false), and renders nothing the client must
// check when none is: the form in the page is how this script learns that auth is required, and the
// copy it keeps is what a sign-out shows again.
const serverLogin = root.querySelector('.login-page');
const AUTH_REQUIRED = !!serverLogin;
const loginTemplate = serverLogin ? serverLogin.cloneNode(true) : null;

const SPINNER = '<svg class="spinner" xmlns="http://www.w3.org/2000/svg" fill="none" viewBox="0 0 24 24" width="20" height="20"><circle opacity="0.25" cx="12" cy="12" r="10" stroke="currentColor" stroke-width="4"></circle><path opacity="0.75" fill="currentColor" d="M4 12a8 8 0 018-8V0C5.373 0 0 5.373 0 12h4zm2 5.291A7.962 7.962 0 014 12H0c0 3.042 1.135 5.824 3 7.938l3-2.647z"></path></svg>';

/// Gives the form in the page its behaviour, as hydration does: the nodes stay, so what was typed
/// before the script ran stays typed. While `/api/auth` is out the button shows AuthWrapper's spinner
/// instead of its name, and is disabled.
function hydrateLogin() {
  const form = root.querySelector('form.login-form');
  const input = form.querySelector('#token');
  const error = form.querySelector('.login-error');
  const button = form.querySelector('button[type=submit]');
  const name = button.textContent;
  const loading = (on) => {
    button.disabled = on;
    if (on) button.innerHTML = SPINNER;
    else button.textContent = name;
  };
  const showError = (text) => { error.textContent = text; error.hidden = false; };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const token = input.value;
    if (!token.trim()) { showError('Please enter your token'); return; }
    localStorage.setItem(TOKEN_KEY, token);
    loading(true);
    const ok = await checkAuth();
    loading(false);
    if (ok) signIn();
    else { localStorage.removeItem(TOKEN_KEY); showError('Invalid token. Please try again.'); }
  });
  // AuthWrapper focuses the input 100 ms after it knows it is not authorized.
  setTimeout(() => { if (auth.state !== 'in' && input.isConnected) input.focus(); }, 100);
  return { input, loading, showError };
}

/// A sign-out shows the form the server rendered, afresh.
function renderLogin() {
  shell = null;
  root.replaceChildren(loginTemplate.cloneNode(true));
  return hydrateLogin();
}

async function checkAuth() {
  try {
    const answer = await api('GET', '/api/auth');
    return !!(answer && answer.isAuthenticated);
  } catch (_) { return false; }
}

function signIn() {
  auth.state = 'in';
  const session = new Scope();
  auth.session = session;
  // ActiveJobWidget and OstrisCloudBalance in the sidebar; the 2025-10 UI had neither, nor any request
  // outside the page shown.
  if (!OLD_UI) {
    poll(session, 5000, async () => {
      const answer = await api('GET', '/api/jobs?only_active=true');
      activeJobs.set((answer && answer.jobs) || []);
    });
    poll(session, 60000, async () => cloudInfo.set(await api('GET', '/api/ostris_cloud')));
  }
  renderApp();
}

/// A 401 anywhere: forget the token, stop every loop, and show the form on the current URL. Before
/// sign-in the form is already there and stays as it is, as AuthWrapper's does.
function signOut() {
  localStorage.removeItem(TOKEN_KEY);
  if (auth.state !== 'in') { auth.state = 'out'; return; }
  auth.state = 'out';
  if (auth.session) auth.session.dispose();
  auth.session = null;
  if (pageScope) pageScope.dispose();
  pageScope = null;
  document.querySelectorAll('.modal-overlay').forEach((el) => el.remove());
  renderLogin();
}

const NAV = [
  ['Dashboard', '/dashboard', 'house'],
  ['New Job', '/jobs/new', 'plus'],
  [OLD_UI ? 'Training Queue' : 'Queue', '/jobs', 'list'],
  ['Datasets', '/datasets', 'database'],
  ['Settings', '/settings', 'settings'],
];

function buildShell() {
  const links = NAV.map(([label, href, iconName]) => h('a', { href, class: 'nav-link', 'data-path': href }, icon(iconName), h('span', {}, label)));
  const main = h('main', { class: 'main' });
  const closeMobile = () => document.body.classList.remove('mobile-sidebar-open');
  const sidebar = h('aside', { class: 'sidebar' },
    h('div', { class: 'sidebar-brand' }, h('img', { src: '/favicon.ico', alt: 'Ostris AI Toolkit', width: 28, height: 28 }), h('span', {}, 'Ostris - AI Toolkit'),
      OLD_UI ? null : h('button', { type: 'button', class: 'sidebar-close', 'aria-label': 'Close menu', onClick: closeMobile }, icon('x', 20))),
    h('nav', { class: 'nav' }, links),
    // The real sidebar's widest line, so it sets the sidebar's width as it does there (UILayoutStyles).
    h('a', { href: 'https://ostris.com/support', target: '_blank', rel: 'noreferrer', class: 'sidebar-support' }, icon('heart', 20), h('span', {}, 'Support AI-Toolkit')),
    h('div', { class: 'sidebar-footer' }, `UI ${UI_VERSION}`));
  const backdrop = OLD_UI ? null : h('div', { class: 'sidebar-backdrop', 'aria-hidden': 'true', onClick: closeMobile });
  root.replaceChildren(h('div', { class: OLD_UI ? 'app' : 'app responsive' }, sidebar, backdrop, main));
  return { main, links };
}

function renderApp() {
  if (location.pathname === '/' || location.pathname === '') history.replaceState({}, '', '/dashboard');
  if (auth.state !== 'in') return;
  if (pageScope) pageScope.dispose();
  document.querySelectorAll('.modal-overlay').forEach((el) => el.remove());
  pageScope = new Scope();
  if (!shell) shell = buildShell();
  document.body.classList.remove('mobile-sidebar-open'); // as Sidebar.tsx: a route change closes the mobile menu
  const path = location.pathname.replace(/\/+$/, '') || '/dashboard';
  for (const link of shell.links) {
    const target = link.getAttribute('data-path');
    const active = target === '/jobs' ? (path === '/jobs' || (path.startsWith('/jobs/') && path !== '/jobs/new')) : (path === target || path.startsWith(target + '/'));
    link.classList.toggle('active', active);
  }
  shell.main.replaceChildren();
  shell.main.scrollTop = 0;
  for (const { pattern, render } of routes) {
    const match = path.match(pattern);
    if (match) {
      render(shell.main, pageScope, ...match.slice(1).map(decodeURIComponent));
      return;
    }
  }
  shell.main.append(pageHeader('Page not found'), h('p', { class: 'muted' }, `Nothing lives at ${path}.`));
}

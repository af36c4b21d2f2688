const root = document.getElementById('root');
const auth = { state: 'checking', session: null };
let pageScope = null;
let shell = null;

// c9843692 already said Password / Check Password (823e6907, 2025-08-23), as 27a03a91 does.
const LOGIN_TEXT = { label: 'Password', placeholder: 'Enter your password', button: 'Check Password',
  help: 'The password is set with the environment variable AI_TOOLKIT_AUTH, the default is the super secure secret word "password"' };

function renderLogin() {
  const input = h('input', { id: 'token', name: 'token', type: 'password', class: 'text-input', placeholder: LOGIN_TEXT.placeholder, required: true, autofocus: true });
  const error = h('div', { class: 'login-error', hidden: true });
  const button = h('button', { type: 'submit', class: 'btn btn-primary btn-wide' }, LOGIN_TEXT.button);
  const showError = (text) => { error.textContent = text; error.hidden = false; };
  const form = h('form', { class: 'login-form', onSubmit: async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) { showError('Please enter your token'); return; }
    error.hidden = true;
    button.disabled = true;
    localStorage.setItem(TOKEN_KEY, token);
    const ok = await checkAuth();
    button.disabled = false;
    if (ok) signIn();
    else { localStorage.removeItem(TOKEN_KEY); showError('Invalid token. Please try again.'); }
  } },
    h('label', { for: 'token', class: 'field-label' }, LOGIN_TEXT.label),
    input,
    h('p', { class: 'login-help' }, LOGIN_TEXT.help),
    error,
    button);
  shell = null;
  root.replaceChildren(h('div', { class: 'login-page' }, h('div', { class: 'login-box' },
    h('div', { class: 'login-brand' }, h('img', { src: '/favicon.ico', alt: 'Ostris AI Toolkit', width: 48, height: 48 }), h('h1', {}, 'AI Toolkit')),
    form)));
  input.focus();
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

/// A 401 anywhere: forget the token, stop every loop, and show the form on the current URL.
function signOut() {
  localStorage.removeItem(TOKEN_KEY);
  if (auth.state === 'out') return;
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

// The real reader starts in an effect once the page has hydrated, about when `load` fires: its first
// request, sent without a token, is in flight while a fast client is already logging in.
if (!OLD_UI) {
  if (document.readyState === 'complete') runMonitorStream();
  else addEventListener('load', () => runMonitorStream(), { once: true });
}
if (DEV_MODE) runHotReloadSocket();
renderApp();
(async () => {
  if (storedToken() && await checkAuth()) { signIn(); return; }
  if (auth.state !== 'out') { auth.state = 'out'; renderLogin(); }
})();

/// Script part 8: start-up. The monitor stream (current version, from the load event) and the
/// hot-reload socket (dev mode) start before and regardless of login; a stored token is checked with
/// `GET /api/auth`.
enum UIBootScript {
    static let source = #"""
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
"""#
}

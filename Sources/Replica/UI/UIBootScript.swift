/// Script part 8: start-up. The monitor stream (current version) and the hot-reload socket (dev mode)
/// start before and regardless of login; a stored token is checked with `GET /api/auth`.
enum UIBootScript {
    static let source = #"""
if (!OLD_UI) runMonitorStream();
if (DEV_MODE) runHotReloadSocket();
renderApp();
(async () => {
  if (storedToken() && await checkAuth()) { signIn(); return; }
  if (auth.state !== 'out') { auth.state = 'out'; renderLogin(); }
})();
"""#
}

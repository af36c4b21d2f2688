// The real reader starts in an effect once the page has hydrated, about when `load` fires: its first
// request, sent without a token, is in flight while a fast client is already logging in.
if (!OLD_UI) {
  if (document.readyState === 'complete') runMonitorStream();
  else addEventListener('load', () => runMonitorStream(), { once: true });
}
if (DEV_MODE) runHotReloadSocket();
renderApp();
if (!AUTH_REQUIRED) signIn();
else {
  // AuthWrapper's first effect: with a stored token the form shows it and the spinner until
  // `GET /api/auth` answers; without one nothing is asked and the form stays.
  const login = hydrateLogin();
  const token = storedToken();
  if (!token) auth.state = 'out';
  else {
    login.input.value = token;
    login.loading(true);
    checkAuth().then((ok) => {
      if (ok) { signIn(); return; }
      login.loading(false);
      auth.state = 'out';
      login.showError('Invalid token. Please try again.');
    });
  }
}

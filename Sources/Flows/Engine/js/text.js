// The locator engine, part of one script (LocatorEngineScript): text: whitespace normalising, regex wants, matching.
// Shares the script's scope: `E` (the entry points), `options`, and the other parts' functions.
// ---------- text helpers ----------
const normalize = (s) => (s || '').replace(/[\s\u200b\u00a0]+/g, ' ').trim();
const truncate = (s, n) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
function asRegex(value) {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(value);
  if (!m) return null;
  try { return new RegExp(m[1], m[2]); } catch { return null; }
}
/** exact: whitespace-normalised equality; otherwise case-insensitive substring; /re/ is a regex. */
function textMatches(actual, wanted, exact) {
  const regex = asRegex(wanted);
  const a = normalize(actual);
  if (regex) return regex.test(a);
  const w = normalize(wanted);
  if (exact) return a === w;
  return a.toLowerCase().includes(w.toLowerCase());
}

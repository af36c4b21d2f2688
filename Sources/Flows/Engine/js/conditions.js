// The locator engine, part of one script (LocatorEngineScript): waitFor/expect conditions, page text, and why a locator misses.
// Shares the script's scope: `E` (the entry points), `options`, and the other parts' functions.
/** Element state or count check for waitFor/expect. */
function stateHolds(el, state) {
  switch (state) {
    case 'attached': return true;
    case 'visible': return isVisible(el);
    case 'hidden': return !isVisible(el);
    case 'enabled': return isEnabled(el);
    case 'disabled': return !isEnabled(el);
    case 'checked': return checkedState(el) === true;
    case 'unchecked': return checkedState(el) === false;
    default: throw new LocatorError(`unknown state ${state}`);
  }
}
const compare = { '==': (n, count) => n === count, '>=': (n, count) => n >= count, '<=': (n, count) => n <= count };
function checkCondition(locator, state, count, operator) {
  const { elements, pending } = resolveAll(locator, document);
  if (count != null) {
    const n = elements.filter((el) => stateHolds(el, state)).length;
    if (!compare[operator]) throw new LocatorError(`unknown count operator ${operator}`);
    return { satisfied: compare[operator](n, count), observed: `${n} ${state} element(s) match (wanted ${operator === '==' ? '' : operator + ' '}${count})` };
  }
  if (state === 'detached') return { satisfied: elements.length === 0, observed: `${elements.length} element(s) still attached` };
  if (state === 'hidden' && elements.length === 0) return { satisfied: true, observed: 'no element matches' };
  const strict = resolveStrict(locator, document);
  if (strict.error) return { error: strict.error };
  if (!strict.element) return { satisfied: false, observed: pending || strict.pending, missing: true };
  return { satisfied: stateHolds(strict.element, state), observed: `${describe(strict.element)} is not ${state}` };
}
E.waitCondition = async (locator, state, count, operator, sliceMs) => {
  const deadline = performance.now() + sliceMs;
  const pause = waitPauses();
  for (;;) {
    let result;
    try { result = checkCondition(locator, state, count, operator); } catch (e) { return { error: String(e.message || e) }; }
    if (result.satisfied || result.error || performance.now() >= deadline) return result;
    await nextChange(Math.min(pause(), Math.max(0, deadline - performance.now())));
  }
};
/** The document and those of its visible same-origin iframes, nested ones included. */
function visibleDocuments(doc, out = []) {
  out.push(doc);
  for (const frame of doc.querySelectorAll('iframe, frame')) {
    let inner = null;
    try { inner = frame.contentDocument; } catch { inner = null; }
    if (inner && inner.documentElement && isVisible(frame)) visibleDocuments(inner, out);
  }
  return out;
}
E.hasText = async (text, exact, sliceMs) => {
  const deadline = performance.now() + sliceMs;
  const pause = waitPauses();
  for (;;) {
    const matches = visibleDocuments(document).flatMap((doc) => queryStrategy({ strategy: 'text', value: text, exact }, doc).filter(isVisible));
    if (matches.length || performance.now() >= deadline) return { satisfied: matches.length > 0 };
    await nextChange(Math.min(pause(), Math.max(0, deadline - performance.now())));
  }
};

E.explain = (locator) => {
  try {
    const { elements, pending } = resolveAll(locator, document);
    if (elements.length > 1) return { count: elements.length, matches: elements.slice(0, 10).map(describe) };
    if (elements.length === 1) return { count: 1, matches: [describe(elements[0])] };
    return { count: 0, pending, candidates: candidatesFor(locator, document) };
  } catch (e) {
    return { count: 0, pending: String(e.message || e), candidates: [] };
  }
};

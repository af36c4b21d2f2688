// The locator engine, part of one script (LocatorEngineScript): locator strategies: CSS, XPath, text, role, label, placeholder, test id, alt, title; within, has, nth; strict resolution.
// Shares the script's scope: `E` (the entry points), `options`, and the other parts' functions.
// ---------- strategies ----------
function queryStrategy(q, scope) {
  const value = q.value;
  switch (q.strategy) {
    case 'css': {
      const out = [];
      const roots = [scope, ...allElements(scope).filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
      if (scope.shadowRoot) roots.push(scope.shadowRoot);
      for (const root of roots) for (const el of root.querySelectorAll(value)) if (!out.includes(el)) out.push(el);
      return out;
    }
    case 'xpath': {
      const doc = scope.ownerDocument || scope;
      const path = scope.nodeType === Node.DOCUMENT_NODE || !value.startsWith('/') ? value : '.' + value;
      const result = doc.evaluate(path, scope, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
      const out = [];
      for (let i = 0; i < result.snapshotLength; i++) {
        const node = result.snapshotItem(i);
        if (node.nodeType === Node.ELEMENT_NODE) out.push(node);
      }
      return out;
    }
    case 'text': {
      const cache = new Map();
      const matches = allElements(scope).filter((el) => !skipText.has(el.nodeName) && el.nodeName !== 'HTML' &&
        el.nodeName !== 'BODY' && textMatches(textOf(el, cache), value, q.exact));
      // The innermost: drop every match that contains another match.
      return matches.filter((el) => !matches.some((other) => other !== el && containsComposed(el, other)));
    }
    case 'role': {
      return allElements(scope).filter((el) => roleOf(el) === value && !isHiddenFromAccessibility(el) &&
        roleFiltersHold(el, q.filters) && (q.name == null || textMatches(accessibleName(el), q.name, q.exact)));
    }
    case 'label':
      return allElements(scope).filter((el) => (labelable(el) || el.hasAttribute('aria-label') ||
        el.hasAttribute('aria-labelledby') || ['switch', 'checkbox', 'combobox', 'textbox', 'radio', 'slider'].includes(roleOf(el))) &&
        labelsOf(el).some((t) => textMatches(t, value, q.exact)));
    case 'placeholder':
      return allElements(scope).filter((el) => el.hasAttribute('placeholder') && textMatches(el.getAttribute('placeholder'), value, q.exact));
    case 'testId': {
      const attribute = options.testIdAttribute;
      return allElements(scope).filter((el) => el.hasAttribute(attribute) && textMatches(el.getAttribute(attribute), value, q.exact));
    }
    case 'alt':
      return allElements(scope).filter((el) => el.hasAttribute('alt') && textMatches(el.getAttribute('alt'), value, q.exact));
    case 'title':
      return allElements(scope).filter((el) => el.hasAttribute('title') && textMatches(el.getAttribute('title'), value, q.exact));
    default:
      throw new Error(`unknown locator strategy ${q.strategy}`);
  }
}

class LocatorError extends Error {}

/** Every element a locator matches in `scope` (nth/first applied, no strictness). `pending` explains zero. */
function resolveAll(locator, scope) {
  if (locator.alternatives) {
    let lastPending = null;
    for (const alternative of locator.alternatives) {
      const result = resolveAll(alternative, scope);
      if (result.elements.length) return result;
      lastPending = result.pending;
    }
    return { elements: [], pending: lastPending };
  }
  let roots = [scope];
  if (locator.frame) {
    const frames = resolveStrict(locator.frame, scope);
    if (frames.error) return { elements: [], pending: `frame: ${frames.error}` };
    if (!frames.element) return { elements: [], pending: `frame: ${frames.pending}` };
    const frame = frames.element;
    if (!['IFRAME', 'FRAME'].includes(frame.nodeName)) throw new LocatorError(`frame locator matched ${describeShort(frame)}, not an <iframe>`);
    let doc = null;
    try { doc = frame.contentDocument; } catch { doc = null; }
    if (!doc) throw new LocatorError(`the document of ${describe(frame)} is cross-origin: only the step's own locator can name a cross-origin frame, not one inside within or has`);
    roots = [doc];
  }
  if (locator.within) {
    const scopes = [];
    for (const root of roots) scopes.push(...resolveAll(locator.within, root).elements);
    if (!scopes.length) return { elements: [], pending: `within: no element matches ${locator.within.text}` };
    roots = scopes;
  }
  let elements = [];
  for (const root of roots) for (const el of queryStrategy(locator, root)) if (!elements.includes(el)) elements.push(el);
  if (locator.has) elements = elements.filter((el) => resolveAll(locator.has, el).elements.length > 0);
  if (locator.nth != null) {
    const index = locator.nth < 0 ? elements.length + locator.nth : locator.nth;
    elements = index >= 0 && index < elements.length ? [elements[index]] : [];
    if (!elements.length) return { elements, pending: `nth=${locator.nth}: fewer matches` };
  } else if (locator.first) {
    elements = elements.slice(0, 1);
  }
  return { elements, pending: elements.length ? null : 'no element matches' };
}

/** Exactly one element, or why not. Several loose name matches with exactly one exact match pick it. */
function resolveStrict(locator, scope) {
  if (locator.alternatives) {
    // The first alternative that finds anything decides, with its own strictness.
    let pending = null;
    for (const alternative of locator.alternatives) {
      const result = resolveStrict(alternative, scope);
      if (!result.pending) return result;
      pending = result.pending;
    }
    return { pending };
  }
  const { elements, pending } = resolveAll(locator, scope);
  if (elements.length === 1) return { element: elements[0] };
  if (!elements.length) return { pending: pending || 'no element matches' };
  const tiebreak = exactTiebreak(locator, scope);
  if (tiebreak) return { element: tiebreak };
  return { error: `strict mode violation: ${locator.text} matches ${elements.length} elements:\n` +
    elements.slice(0, 10).map((el, i) => `  ${i + 1}) ${describe(el)}`).join('\n') +
    (elements.length > 10 ? `\n  ... and ${elements.length - 10} more` : '') +
    '\n  (add "nth", "first", "exact", "within" or "has" to pick one)', count: elements.length };
}
function exactTiebreak(locator, scope) {
  const q = locator;
  const loose = q.strategy === 'role' ? q.name != null : ['text', 'label', 'placeholder', 'alt', 'title'].includes(q.strategy);
  if (!loose || q.exact || asRegex(q.strategy === 'role' ? q.name : q.value)) return null;
  const { elements } = resolveAll({ ...q, exact: true }, scope);
  return elements.length === 1 ? elements[0] : null;
}

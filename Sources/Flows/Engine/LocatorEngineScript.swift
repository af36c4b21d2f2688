/// The locator engine injected into an isolated world of the page: resolves locators (CSS, XPath, text,
/// role with accessible names, label, placeholder, test id, alt, title; within, has, nth, frames, open
/// shadow roots), checks actionability every animation frame, and explains misses. One script, installed
/// as a non-enumerable `__discover` in a world the page cannot see.
enum LocatorEngineScript {
    static let source = #"""
(() => {
  if (globalThis.__discover) return 'present';
  const E = {};
  const options = { testIdAttribute: 'data-testid' };

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

  // ---------- tree walking (open shadow roots included) ----------
  function parentOf(node) {
    const parent = node.parentNode;
    return parent && parent.nodeType === Node.DOCUMENT_FRAGMENT_NODE && parent.host ? parent.host : parent;
  }
  function containsComposed(ancestor, node) {
    for (let n = node; n; n = n.parentNode || n.host) if (n === ancestor) return true;
    return false;
  }
  /** Elements under `root` (a document, shadow root or element), shadow trees included, root excluded. */
  function allElements(root) {
    const out = [];
    const visit = (r) => {
      if (r.shadowRoot) visit(r.shadowRoot);
      for (const el of r.querySelectorAll('*')) {
        out.push(el);
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(root);
    return out;
  }
  const skipText = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD']);
  /** Rendered-tree text: shadow content and slotted nodes instead of raw light children. */
  function textOf(node, cache) {
    if (node.nodeType === Node.TEXT_NODE) return node.data;
    if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return '';
    if (cache && cache.has(node)) return cache.get(node);
    if (skipText.has(node.nodeName)) return '';
    let children;
    if (node.shadowRoot) children = node.shadowRoot.childNodes;
    else if (node.nodeName === 'SLOT' && node.assignedNodes().length) children = node.assignedNodes();
    else children = node.childNodes;
    let text = '';
    for (const child of children) text += textOf(child, cache);
    if (node.nodeName === 'INPUT' && ['button', 'submit', 'reset'].includes(node.type)) text = node.value;
    if (cache) cache.set(node, text);
    return text;
  }

  // ---------- visibility and states ----------
  function isVisible(el) {
    const style = el.ownerDocument.defaultView.getComputedStyle(el);
    if (style.visibility !== 'visible') return false;
    if (el.checkVisibility && !el.checkVisibility()) return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0;
  }
  function isHiddenFromAccessibility(el) {
    for (let n = el; n && n.nodeType === Node.ELEMENT_NODE; n = parentOf(n)) {
      if (n.getAttribute('aria-hidden') === 'true') return true;
      if (n.hidden && n.nodeName !== 'INPUT') return true;
    }
    const style = el.ownerDocument.defaultView.getComputedStyle(el);
    if (style.visibility === 'hidden' || style.visibility === 'collapse') return true;
    if (el.checkVisibility && !el.checkVisibility() && style.display !== 'contents') {
      // display:none somewhere above; hidden inputs that custom widgets wrap still count as hidden.
      return true;
    }
    return false;
  }
  const formTags = new Set(['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'OPTION', 'OPTGROUP', 'FIELDSET']);
  function isEnabled(el) {
    if (formTags.has(el.nodeName) && el.matches(':disabled')) return false;
    for (let n = el; n && n.nodeType === Node.ELEMENT_NODE; n = parentOf(n)) {
      if (n.getAttribute('aria-disabled') === 'true') return false;
    }
    return true;
  }
  function isEditable(el) {
    if (!isEnabled(el)) return { ok: false, reason: 'disabled' };
    if (el.nodeName === 'INPUT') {
      if (['checkbox', 'radio', 'file', 'button', 'submit', 'reset', 'image', 'range', 'color', 'hidden'].includes(el.type)) {
        return { ok: false, reason: `an <input type=${el.type}> cannot be filled` };
      }
      return el.readOnly ? { ok: false, reason: 'read-only' } : { ok: true };
    }
    if (el.nodeName === 'TEXTAREA') return el.readOnly ? { ok: false, reason: 'read-only' } : { ok: true };
    if (el.nodeName === 'SELECT') return { ok: true };  // fill chooses an option
    if (el.isContentEditable) return { ok: true };
    return { ok: false, reason: `${describeShort(el)} is not an input, textarea or contenteditable element` };
  }
  function checkedState(el) {
    if (el.nodeName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) return el.checked;
    const aria = el.getAttribute('aria-checked') ?? el.getAttribute('aria-pressed') ?? el.getAttribute('aria-selected');
    if (aria === 'true' || aria === 'mixed') return true;
    if (aria === 'false') return false;
    const inner = el.querySelector && el.querySelector('input[type=checkbox], input[type=radio]');
    if (inner) return inner.checked;
    return null;
  }

  // ---------- ARIA states for role filters ----------
  function ariaState(el, attribute) {
    const value = el.getAttribute(attribute);
    return value === 'true' ? true : value === 'false' ? false : value === 'mixed' ? 'mixed' : null;
  }
  /** The state a role filter compares, as the element declares it; null when it has none. */
  function roleState(el, key) {
    switch (key) {
      case 'level': {
        const aria = parseInt(el.getAttribute('aria-level'), 10);
        if (aria > 0) return aria;
        const heading = /^H([1-6])$/.exec(el.nodeName);
        return heading ? Number(heading[1]) : null;
      }
      case 'checked':
        if (el.nodeName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) return el.indeterminate ? 'mixed' : el.checked;
        return ariaState(el, 'aria-checked');
      case 'selected': return el.nodeName === 'OPTION' ? el.selected : ariaState(el, 'aria-selected');
      case 'expanded': return ariaState(el, 'aria-expanded');
      case 'pressed': return ariaState(el, 'aria-pressed');
      case 'disabled': return !isEnabled(el);
      default: throw new LocatorError(`unknown role filter ${key}`);
    }
  }
  const roleFiltersHold = (el, filters) => !filters || Object.entries(filters).every(([key, wanted]) => roleState(el, key) === wanted);

  // ---------- roles ----------
  function implicitRole(el) {
    const tag = el.nodeName;
    switch (tag) {
      case 'A': case 'AREA': return el.hasAttribute('href') ? 'link' : null;
      case 'BUTTON': return 'button';
      case 'SUMMARY': return 'button';
      case 'INPUT': {
        const type = (el.getAttribute('type') || 'text').toLowerCase();
        if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
        if (type === 'checkbox') return 'checkbox';
        if (type === 'radio') return 'radio';
        if (type === 'range') return 'slider';
        if (type === 'number') return 'spinbutton';
        if (type === 'search') return el.hasAttribute('list') ? 'combobox' : 'searchbox';
        if (['text', 'email', 'tel', 'url', 'password', ''].includes(type)) return el.hasAttribute('list') ? 'combobox' : 'textbox';
        return null;
      }
      case 'TEXTAREA': return 'textbox';
      case 'SELECT': return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
      case 'OPTION': return 'option';
      case 'OPTGROUP': return 'group';
      case 'H1': case 'H2': case 'H3': case 'H4': case 'H5': case 'H6': return 'heading';
      case 'DIALOG': return 'dialog';
      case 'IMG': return el.getAttribute('alt') === '' ? 'presentation' : 'img';
      case 'UL': case 'OL': case 'MENU': return 'list';
      case 'LI': return 'listitem';
      case 'NAV': return 'navigation';
      case 'MAIN': return 'main';
      case 'HEADER': return 'banner';
      case 'FOOTER': return 'contentinfo';
      case 'ASIDE': return 'complementary';
      case 'FORM': return 'form';
      case 'SECTION': return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'region' : null;
      case 'ARTICLE': return 'article';
      case 'TABLE': return 'table';
      case 'TR': return 'row';
      case 'TD': return 'cell';
      case 'TH': return 'columnheader';
      case 'THEAD': case 'TBODY': case 'TFOOT': return 'rowgroup';
      case 'HR': return 'separator';
      case 'FIELDSET': case 'DETAILS': return 'group';
      case 'PROGRESS': return 'progressbar';
      case 'METER': return 'meter';
      case 'OUTPUT': return 'status';
      case 'P': return 'paragraph';
      default: return null;
    }
  }
  function roleOf(el) {
    const explicit = (el.getAttribute('role') || '').trim().split(/\s+/)[0];
    if (explicit) return explicit === 'none' ? 'presentation' : explicit;
    return implicitRole(el);
  }
  const nameFromContentRoles = new Set(['button', 'cell', 'checkbox', 'columnheader', 'gridcell', 'heading', 'link',
    'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'radio', 'row', 'rowheader', 'switch', 'tab',
    'tooltip', 'treeitem', 'listitem', 'legend', 'caption', 'term', 'status']);
  const labelable = (el) => ['INPUT', 'SELECT', 'TEXTAREA', 'METER', 'OUTPUT', 'PROGRESS'].includes(el.nodeName) &&
    !(el.nodeName === 'INPUT' && el.type === 'hidden');
  const controlSelector = 'input:not([type=hidden]), select, textarea, button, [role=combobox], [role=switch], [role=checkbox], [role=textbox]';

  function labelText(label) {
    let text = '';
    const visit = (node) => {
      if (node.nodeType === Node.TEXT_NODE) { text += node.data; return; }
      if (node.nodeType !== Node.ELEMENT_NODE || skipText.has(node.nodeName)) return;
      if (['INPUT', 'SELECT', 'TEXTAREA'].includes(node.nodeName)) return;
      for (const child of node.childNodes) visit(child);
    };
    visit(label);
    return normalize(text);
  }
  /**
   * A `<label>` without `for` directly before the control, or before a wrapper whose first control it
   * is (AI Toolkit's inputs; react-select nests its combobox input a few levels down).
   */
  function precedingLabel(el) {
    let node = el;
    for (let depth = 0; depth < 5 && node && node.nodeType === Node.ELEMENT_NODE; depth++) {
      const previous = node.previousElementSibling;
      if (previous && previous.nodeName === 'LABEL' && !previous.hasAttribute('for') && !previous.querySelector(controlSelector)) {
        const first = node.matches(controlSelector) ? node : node.querySelector(controlSelector);
        return first === el ? previous : null;
      }
      node = node.parentElement;
    }
    return null;
  }
  /** Texts that label a control: aria-labelledby, aria-label, <label for>, wrapping <label>, a preceding <label>. */
  function labelsOf(el) {
    const texts = [];
    const ids = el.getAttribute('aria-labelledby');
    if (ids) {
      const root = el.getRootNode();
      const text = ids.split(/\s+/).map((id) => root.getElementById ? root.getElementById(id) : el.ownerDocument.getElementById(id))
        .filter(Boolean).map((ref) => normalize(nameFromContent(ref, new Set(), true))).join(' ');
      if (text) texts.push(text);
    }
    const aria = normalize(el.getAttribute('aria-label'));
    if (aria) texts.push(aria);
    if (labelable(el) && el.labels) for (const label of el.labels) { const t = labelText(label); if (t) texts.push(t); }
    if (!texts.length || labelable(el)) {
      const preceding = precedingLabel(el);
      if (preceding) { const t = labelText(preceding); if (t) texts.push(t); }
    }
    return texts;
  }

  function nameFromContent(el, visited, includeHidden) {
    let text = '';
    const children = el.shadowRoot ? el.shadowRoot.childNodes
      : (el.nodeName === 'SLOT' && el.assignedNodes().length ? el.assignedNodes() : el.childNodes);
    for (const child of children) {
      if (child.nodeType === Node.TEXT_NODE) { text += child.data; continue; }
      if (child.nodeType !== Node.ELEMENT_NODE || skipText.has(child.nodeName)) continue;
      if (!includeHidden && isHiddenFromAccessibility(child)) continue;
      const display = child.ownerDocument.defaultView.getComputedStyle(child).display;
      const inline = display.startsWith('inline') || display === 'contents';
      const part = computeName(child, visited, true, includeHidden);
      text += inline ? part : ` ${part} `;
    }
    return text;
  }

  function computeName(el, visited, fromContent, includeHidden) {
    if (visited.has(el)) return '';
    visited.add(el);
    if (!fromContent) {
      const ids = el.getAttribute('aria-labelledby');
      if (ids) {
        const root = el.getRootNode();
        const text = ids.split(/\s+/).map((id) => (root.getElementById ? root.getElementById(id) : null))
          .filter(Boolean).map((ref) => normalize(computeName(ref, visited, true, true))).join(' ');
        if (normalize(text)) return text;
      }
    }
    const aria = normalize(el.getAttribute('aria-label'));
    if (aria) return aria;
    const tag = el.nodeName;
    if (tag === 'INPUT' && ['button', 'submit', 'reset'].includes(el.type)) {
      return el.value || (el.type === 'submit' ? 'Submit' : el.type === 'reset' ? 'Reset' : '');
    }
    if (tag === 'INPUT' && el.type === 'image') return el.getAttribute('alt') || el.getAttribute('title') || 'Submit';
    if (labelable(el)) {
      if (fromContent) {
        if (tag === 'SELECT') return el.selectedOptions[0] ? el.selectedOptions[0].textContent : '';
        return el.value || '';
      }
      const labels = labelsOf(el);
      if (labels.length) return labels.join(' ');
      return el.getAttribute('title') || el.getAttribute('placeholder') || '';
    }
    if (tag === 'IMG' || tag === 'AREA') return el.getAttribute('alt') || el.getAttribute('title') || '';
    if (tag === 'SVG' || tag === 'svg') {
      const title = el.querySelector('title');
      if (title) return title.textContent;
    }
    if (tag === 'FIELDSET') { const legend = el.querySelector('legend'); if (legend) return nameFromContent(legend, visited, includeHidden); }
    if (tag === 'TABLE') { const caption = el.querySelector('caption'); if (caption) return nameFromContent(caption, visited, includeHidden); }
    if (tag === 'FIGURE') { const caption = el.querySelector('figcaption'); if (caption) return nameFromContent(caption, visited, includeHidden); }
    const role = roleOf(el);
    if (fromContent || nameFromContentRoles.has(role)) {
      const text = nameFromContent(el, visited, includeHidden);
      if (normalize(text)) return text;
    }
    if (!fromContent && ['switch', 'checkbox', 'radio', 'combobox', 'textbox', 'listbox', 'slider', 'spinbutton'].includes(role)) {
      const labels = labelsOf(el);
      if (labels.length) return labels.join(' ');
    }
    return el.getAttribute('title') || '';
  }
  const accessibleName = (el) => normalize(computeName(el, new Set(), false, false));

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

  // ---------- descriptions ----------
  function describeShort(el) {
    let text = `<${el.nodeName.toLowerCase()}`;
    if (el.id) text += ` id="${el.id}"`;
    const cls = (el.getAttribute('class') || '').trim().split(/\s+/).filter(Boolean).slice(0, 3).join(' ');
    if (cls) text += ` class="${cls}"`;
    return text + '>';
  }
  function describe(el) {
    const tag = el.nodeName.toLowerCase();
    let text = `<${tag}`;
    for (const name of ['id', 'class', 'name', 'type', 'role', 'aria-label', 'placeholder', options.testIdAttribute, 'title', 'alt', 'href']) {
      let value = el.getAttribute(name);
      if (value == null || value === '') continue;
      if (name === 'class') value = value.trim().split(/\s+/).slice(0, 3).join(' ');
      text += ` ${name}="${truncate(value, 40)}"`;
    }
    text += '>';
    const content = truncate(normalize(textOf(el)), 60);
    if (content) text += ` "${content}"`;
    else if (el.firstElementChild) text += ` containing ${describeShort(el.firstElementChild)}`;
    const name = accessibleName(el);
    if (name && name !== normalize(textOf(el)) && roleOf(el)) text += ` (${roleOf(el)} "${truncate(name, 40)}")`;
    return `${text}  at ${selectorOf(el)}`;
  }
  function selectorOf(el) {
    const parts = [];
    for (let node = el; node && node.nodeType === Node.ELEMENT_NODE && parts.length < 5; node = node.parentElement) {
      if (node.id && /^[A-Za-z][\w-]*$/.test(node.id)) { parts.unshift(`#${node.id}`); break; }
      let part = node.nodeName.toLowerCase();
      const cls = typeof node.className === 'string' ? node.className.trim().split(/\s+/).filter((c) => /^[A-Za-z_][\w-]*$/.test(c)).slice(0, 2) : [];
      if (cls.length) part += '.' + cls.join('.');
      const parent = node.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.nodeName === node.nodeName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(node) + 1})`;
      }
      parts.unshift(part);
      if (node.nodeName === 'BODY') break;
    }
    return parts.join(' > ');
  }

  // ---------- closest candidates for zero matches ----------
  function similarity(a, b) {
    a = normalize(a).toLowerCase(); b = normalize(b).toLowerCase();
    if (!a || !b) return 0;
    if (a === b) return 1;
    if (a.includes(b) || b.includes(a)) return 0.8 * Math.min(a.length, b.length) / Math.max(a.length, b.length) + 0.2;
    const aw = new Set(a.split(' ')), bw = new Set(b.split(' '));
    const common = [...aw].filter((w) => bw.has(w)).length;
    const words = common / Math.max(aw.size, bw.size);
    const la = a.slice(0, 60), lb = b.slice(0, 60);
    const row = Array.from({ length: lb.length + 1 }, (_, j) => j);
    for (let i = 1; i <= la.length; i++) {
      let previous = row[0]; row[0] = i;
      for (let j = 1; j <= lb.length; j++) {
        const current = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (la[i - 1] === lb[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    const edit = 1 - row[lb.length] / Math.max(la.length, lb.length);
    return Math.max(words, edit);
  }
  function candidatesFor(locator, scope) {
    const q = locator.alternatives ? locator.alternatives[0] : locator;
    let wanted = q.value;
    let pool;
    const elements = allElements(scope.nodeType ? scope : document);
    const cache = new Map();
    switch (q.strategy) {
      case 'role': {
        wanted = q.name || q.value;
        const sameRole = elements.filter((el) => roleOf(el) === q.value && !isHiddenFromAccessibility(el));
        const pickFrom = q.name ? (sameRole.length ? sameRole : elements.filter((el) => roleOf(el) && !isHiddenFromAccessibility(el)))
          : elements.filter((el) => roleOf(el) && !isHiddenFromAccessibility(el));
        pool = pickFrom.map((el) => [el, q.name ? accessibleName(el) : roleOf(el)]);
        break;
      }
      case 'label': pool = elements.filter((el) => labelable(el) || el.hasAttribute('aria-label')).map((el) => [el, labelsOf(el).join(' / ')]); break;
      case 'placeholder': pool = elements.filter((el) => el.hasAttribute('placeholder')).map((el) => [el, el.getAttribute('placeholder')]); break;
      case 'testId': pool = elements.filter((el) => el.hasAttribute(options.testIdAttribute)).map((el) => [el, el.getAttribute(options.testIdAttribute)]); break;
      case 'alt': pool = elements.filter((el) => el.hasAttribute('alt')).map((el) => [el, el.getAttribute('alt')]); break;
      case 'title': pool = elements.filter((el) => el.hasAttribute('title')).map((el) => [el, el.getAttribute('title')]); break;
      default: {
        // text, css, xpath: visible elements with their own text.
        pool = elements.filter((el) => !skipText.has(el.nodeName) && [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.data.trim()) && isVisible(el))
          .map((el) => [el, textOf(el, cache)]);
        if (q.strategy !== 'text') wanted = q.value.replace(/[^A-Za-z0-9 ]+/g, ' ');
      }
    }
    return pool.filter(([, text]) => normalize(text))
      .map(([el, text]) => ({ el, text: normalize(text), score: similarity(text, wanted) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 5)
      .map(({ el, text }) => `"${truncate(text, 60)}" ${describe(el)}`);
  }

  // ---------- geometry, hit testing ----------
  function frameOffset(el) {
    let x = 0, y = 0;
    let win = el.ownerDocument.defaultView;
    while (win && win.frameElement) {
      const frame = win.frameElement;
      const rect = frame.getBoundingClientRect();
      const style = frame.ownerDocument.defaultView.getComputedStyle(frame);
      x += rect.left + frame.clientLeft + parseFloat(style.paddingLeft);
      y += rect.top + frame.clientTop + parseFloat(style.paddingTop);
      win = frame.ownerDocument.defaultView;
    }
    return { x, y };
  }
  function clickRect(el) {
    const rects = [...el.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    return rects[0] || el.getBoundingClientRect();
  }
  function inViewport(el) {
    const rect = el.getBoundingClientRect();
    const win = el.ownerDocument.defaultView;
    return rect.top >= 0 && rect.left >= 0 && rect.bottom <= win.innerHeight && rect.right <= win.innerWidth;
  }
  function deepElementFromPoint(root, x, y) {
    let el = root.elementFromPoint(x, y);
    while (el && el.shadowRoot) {
      const inner = el.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === el) break;
      el = inner;
    }
    return el;
  }
  /** The element that would get a click at the target's point, or null when it is the target (or inside it). */
  function hitObstruction(el, localX, localY) {
    const doc = el.ownerDocument;
    const hit = deepElementFromPoint(doc, localX, localY);
    if (!hit) return 'nothing (the point is outside the page)';
    if (containsComposed(el, hit)) return null;
    // A label that forwards clicks to its control is fine.
    if (hit.nodeName === 'LABEL' && hit.control === el) return null;
    if (el.nodeName === 'LABEL' && el.control === hit) return null;
    return describe(hit);
  }
  /** The same check in each embedding document, at the point translated into that document. */
  function frameChainObstruction(el, localX, localY) {
    let x = localX, y = localY;
    for (let win = el.ownerDocument.defaultView; win && win.frameElement; win = win.frameElement.ownerDocument.defaultView) {
      const frame = win.frameElement;
      const rect = frame.getBoundingClientRect();
      const style = frame.ownerDocument.defaultView.getComputedStyle(frame);
      x += rect.left + frame.clientLeft + parseFloat(style.paddingLeft);
      y += rect.top + frame.clientTop + parseFloat(style.paddingTop);
      const blocker = hitObstruction(frame, x, y);
      if (blocker) return blocker;
    }
    return null;
  }

  const nextFrame = () => new Promise((resolve) => {
    let done = false;
    requestAnimationFrame(() => { if (!done) { done = true; resolve(); } });
    setTimeout(() => { if (!done) { done = true; resolve(); } }, 50);
  });
  const sameRect = (a, b) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

  /**
   * One actionability check. checks: visible, enabled, editable, stable, hit. `position` ({x, y} from the
   * element's top-left corner) picks the point, else the centre. Returns
   * {status:'ready', x, y, description} | {status:'waiting', reason} | {status:'error', message}.
   */
  async function checkActionable(locator, checks, position) {
    const found = resolveStrict(locator, document);
    if (found.error) return { status: 'error', message: found.error };
    if (!found.element) return { status: 'waiting', reason: found.pending, missing: true };
    let el = found.element;
    // A styled checkbox hides its input: a person clicks its label.
    if (checks.includes('label') && !isVisible(el) && el.labels && el.labels.length) el = [...el.labels].find(isVisible) || el;
    if (checks.includes('visible') && !isVisible(el)) return { status: 'waiting', reason: `${describe(el)} is not visible` };
    if (checks.includes('enabled') && !isEnabled(el)) return { status: 'waiting', reason: `${describe(el)} is disabled` };
    if (checks.includes('editable')) {
      const editable = isEditable(el);
      if (!editable.ok) {
        if (editable.reason.includes('cannot be filled') || editable.reason.includes('is not an input')) return { status: 'error', message: editable.reason };
        return { status: 'waiting', reason: `${describe(el)} is ${editable.reason}` };
      }
    }
    if (checks.includes('stable') || checks.includes('hit')) {
      if (!inViewport(el)) el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
      const before = clickRect(el);
      await nextFrame();
      const after = clickRect(el);
      if (checks.includes('stable') && !sameRect(before, after)) return { status: 'waiting', reason: `${describe(el)} is moving (not stable)` };
    }
    const rect = position ? el.getBoundingClientRect() : clickRect(el);
    if (position && (position.x < 0 || position.y < 0 || position.x > rect.width || position.y > rect.height)) {
      return { status: 'waiting', reason: `the position (${position.x}, ${position.y}) is outside ${describe(el)}, which is ${Math.round(rect.width)}×${Math.round(rect.height)}` };
    }
    const localX = rect.left + (position ? position.x : rect.width / 2), localY = rect.top + (position ? position.y : rect.height / 2);
    if (checks.includes('hit')) {
      const at = position ? ` (at ${position.x}, ${position.y} from its top-left corner)` : '';
      const blocker = hitObstruction(el, localX, localY) || frameChainObstruction(el, localX, localY);
      if (blocker) return { status: 'waiting', reason: `${blocker} would receive the click instead of ${describe(el)}${at}`, obstructed: blocker };
    }
    const offset = frameOffset(el);
    lastReady = el;
    return { status: 'ready', x: localX + offset.x, y: localY + offset.y, description: describe(el) };
  }

  /**
   * Between the last check and the click, the element can still move or be covered (an animation the
   * frame-to-frame stability check did not see on a loaded machine). The guard watches the click's first
   * trusted pointer event: when it lands outside the element, the page sees none of the click and the
   * runner looks again, so a flow never clicks what happened to slide under the point.
   */
  let lastReady = null;
  let hitGuard = null;
  const guardedEvents = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click', 'dblclick', 'auxclick', 'contextmenu'];
  E.armHitGuard = () => {
    E.disarmHitGuard();
    const el = lastReady;
    if (!el || !el.isConnected) return false;
    const view = el.ownerDocument.defaultView;
    const guard = { verdict: null, landed: null, view };
    guard.listener = (event) => {
      if (!event.isTrusted) return;
      if (guard.verdict === null) {
        const path = event.composedPath();
        guard.verdict = path.includes(el) ? 'hit' : 'missed';
        if (guard.verdict === 'missed') {
          const first = path.find((node) => node.nodeType === Node.ELEMENT_NODE);
          guard.landed = first ? describe(first) : 'the page outside any element';
        }
      }
      if (guard.verdict === 'missed') { event.preventDefault(); event.stopImmediatePropagation(); }
    };
    for (const type of guardedEvents) view.addEventListener(type, guard.listener, true);
    hitGuard = guard;
    return true;
  };
  /** Removes the guard; {verdict: 'hit' | 'missed' | null (no pointer event reached this frame), landed}. */
  E.disarmHitGuard = () => {
    const guard = hitGuard;
    if (!guard) return { verdict: null, landed: null };
    for (const type of guardedEvents) guard.view.removeEventListener(type, guard.listener, true);
    hitGuard = null;
    return { verdict: guard.verdict, landed: guard.landed };
  };

  /** Repeats checkActionable every animation frame for up to sliceMs; Swift repeats until the step timeout. */
  E.actionable = async (locator, checks, sliceMs, position) => {
    const deadline = performance.now() + sliceMs;
    for (;;) {
      let result;
      try { result = await checkActionable(locator, checks, position); } catch (e) { return { status: 'error', message: String(e.message || e) }; }
      if (result.status !== 'waiting' || performance.now() >= deadline) return result;
      await nextFrame();
    }
  };

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
    for (;;) {
      let result;
      try { result = checkCondition(locator, state, count, operator); } catch (e) { return { error: String(e.message || e) }; }
      if (result.satisfied || result.error || performance.now() >= deadline) return result;
      await nextFrame();
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
    for (;;) {
      const matches = visibleDocuments(document).flatMap((doc) => queryStrategy({ strategy: 'text', value: text, exact }, doc).filter(isVisible));
      if (matches.length || performance.now() >= deadline) return { satisfied: matches.length > 0 };
      await nextFrame();
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

  /** The one element a locator resolves to, for CDP commands that need a handle. */
  E.resolveElement = (locator) => {
    const found = resolveStrict(locator, document);
    if (found.error) throw new Error(found.error);
    if (!found.element) throw new Error(found.pending);
    return found.element;
  };
  E.focus = (locator) => {
    const el = E.resolveElement(locator);
    el.focus({ preventScroll: false });
    if (el.nodeName === 'INPUT' || el.nodeName === 'TEXTAREA') {
      try { el.select(); } catch { el.setSelectionRange && el.setSelectionRange(0, el.value.length); }
    } else if (el.isContentEditable) {
      const range = el.ownerDocument.createRange();
      range.selectNodeContents(el);
      const selection = el.ownerDocument.defaultView.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    const active = el.getRootNode().activeElement;
    return active === el || containsComposed(el, active);
  };
  /** Where a frame locator points: missing, same-origin (the engine reaches in), or cross-origin with the
   * top-level position of its content box, for an engine running inside that frame. */
  E.frameTarget = (frameLocator) => {
    const found = resolveStrict(frameLocator, document);
    if (found.error) return { status: 'error', message: found.error };
    if (!found.element) return { status: 'missing', reason: found.pending };
    const frame = found.element;
    if (!['IFRAME', 'FRAME'].includes(frame.nodeName)) return { status: 'error', message: `frame locator matched ${describe(frame)}, not an <iframe>` };
    let doc = null;
    try { doc = frame.contentDocument; } catch { doc = null; }
    if (doc) return { status: 'same-origin' };
    const rect = frame.getBoundingClientRect();
    const style = frame.ownerDocument.defaultView.getComputedStyle(frame);
    const outer = frameOffset(frame);
    return { status: 'cross-origin', description: describe(frame),
      x: outer.x + rect.left + frame.clientLeft + parseFloat(style.paddingLeft),
      y: outer.y + rect.top + frame.clientTop + parseFloat(style.paddingTop) };
  };
  /** Whether a top-level point lands on the frame (not on something covering it). */
  E.frameObstruction = (frameLocator, x, y) => {
    const found = resolveStrict(frameLocator, document);
    if (!found.element) return null;
    return hitObstruction(found.element, x - frameOffset(found.element).x, y - frameOffset(found.element).y);
  };
  E.focusOnly = (locator) => { const el = E.resolveElement(locator); el.focus(); return true; };
  E.value = (locator) => {
    const el = E.resolveElement(locator);
    return 'value' in el ? el.value : el.textContent;
  };
  E.isChecked = (locator) => checkedState(E.resolveElement(locator));
  E.checkedStateOf = (el) => (el.isConnected ? checkedState(el) : null);
  E.isNativeSelect = (locator) => E.resolveElement(locator).nodeName === 'SELECT';
  E.selectNative = (locator, wanted) => {
    const select = E.resolveElement(locator);
    const options = [...select.options];
    const pick = options.find((o) => normalize(o.label) === normalize(wanted)) || options.find((o) => o.value === wanted) ||
      options.find((o) => normalize(o.label).toLowerCase() === normalize(wanted).toLowerCase());
    if (!pick) {
      return { error: `no option "${wanted}" in ${describe(select)}; options: ${options.map((o) => `"${normalize(o.label)}"${o.value !== normalize(o.label) ? ` (value "${o.value}")` : ''}`).join(', ')}` };
    }
    pick.selected = true;
    select.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    select.dispatchEvent(new Event('change', { bubbles: true }));
    return { selected: normalize(pick.label) };
  };
  E.fileInput = (locator) => {
    const el = E.resolveElement(locator);
    if (el.nodeName === 'INPUT' && el.type === 'file') return el;
    const inner = allElements(el).find((e) => e.nodeName === 'INPUT' && e.type === 'file');
    if (inner) return inner;
    if (el.nodeName === 'LABEL' && el.control && el.control.type === 'file') return el.control;
    throw new Error(`${describe(el)} is not an <input type=file> and holds none`);
  };
  E.read = (locator, attribute) => {
    const el = E.resolveElement(locator);
    if (attribute) {
      if (!el.hasAttribute(attribute)) {
        if (attribute in el && typeof el[attribute] !== 'function') return String(el[attribute]);
        throw new Error(`${describe(el)} has no attribute "${attribute}"`);
      }
      return el.getAttribute(attribute);
    }
    if (el.nodeName === 'INPUT' || el.nodeName === 'TEXTAREA' || el.nodeName === 'SELECT') return el.value;
    return normalize(el.innerText ?? textOf(el));
  };
  E.configure = (settings) => { Object.assign(options, settings); return true; };

  Object.defineProperty(globalThis, '__discover', { value: E, enumerable: false });
  return 'installed';
})()

"""#
}

// The locator engine, part of one script (LocatorEngineScript): ARIA roles, states and accessible names (labels, content, aria-label/labelledby).
// Shares the script's scope: `E` (the entry points), `options`, and the other parts' functions.
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

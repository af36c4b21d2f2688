// The locator engine, part of one script (LocatorEngineScript): how elements are named in messages, and the closest candidates when nothing matches.
// Shares the script's scope: `E` (the entry points), `options`, and the other parts' functions.
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

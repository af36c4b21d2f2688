// The locator engine, part of one script (LocatorEngineScript): what actions read and set: handles, focus, values, checkboxes, selects, file inputs, attributes.
// Shares the script's scope: `E` (the entry points), `options`, and the other parts' functions.
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

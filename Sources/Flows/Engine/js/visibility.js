// The locator engine, part of one script (LocatorEngineScript): visibility, enabled, editable and checked states.
// Shares the script's scope: `E` (the entry points), `options`, and the other parts' functions.
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

// The locator engine, part of one script (LocatorEngineScript): geometry, hit testing, stability, the click hit guard, and the actionability checks.
// Shares the script's scope: `E` (the entry points), `options`, and the other parts' functions.
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
/**
 * What a waiting loop waits for before it checks again: the next DOM change (then one frame more, so a
 * burst of changes costs one check) or `pause` ms, whichever comes first. Checking every frame instead
 * keeps the renderer and the compositor drawing frames for the whole wait: on a wait of seconds (the
 * AI Toolkit flows wait for a checkpoint that way) the browser spent more CPU polling than rendering.
 */
const nextChange = (pause) => new Promise((resolve) => {
  let done = false;
  const finish = () => { if (!done) { done = true; observer.disconnect(); clearTimeout(timer); resolve(); } };
  const observer = new MutationObserver(() => { observer.disconnect(); nextFrame().then(finish); });
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  const timer = setTimeout(finish, pause);
});
/** The pauses of one waiting loop: a frame at first (a change right after an action), then longer, at most 250 ms
 * (only changes the DOM does not see, such as a transition ending, are noticed that late; Playwright's
 * waits pause up to 500 ms). */
const waitPauses = () => {
  const pauses = [16, 16, 32, 50, 100, 250];
  let index = 0;
  return () => pauses[Math.min(index++, pauses.length - 1)];
};
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

/** Repeats checkActionable on each DOM change (or pause) for up to sliceMs; Swift repeats until the step timeout. */
E.actionable = async (locator, checks, sliceMs, position) => {
  const deadline = performance.now() + sliceMs;
  const pause = waitPauses();
  for (;;) {
    let result;
    try { result = await checkActionable(locator, checks, position); } catch (e) { return { status: 'error', message: String(e.message || e) }; }
    if (result.status !== 'waiting' || performance.now() >= deadline) return result;
    await nextChange(Math.min(pause(), Math.max(0, deadline - performance.now())));
  }
};

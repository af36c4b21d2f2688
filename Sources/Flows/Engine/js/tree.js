// The locator engine, part of one script (LocatorEngineScript): the DOM tree with open shadow roots: walking, containment, text content.
// Shares the script's scope: `E` (the entry points), `options`, and the other parts' functions.
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

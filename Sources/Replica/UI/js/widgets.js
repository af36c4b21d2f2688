function openModal(title, body, { onClose } = {}) {
  const close = () => { overlay.remove(); document.removeEventListener('keydown', onKey); if (onClose) onClose(); };
  const onKey = (event) => { if (event.key === 'Escape') close(); };
  const panel = h('div', { class: 'modal-panel', role: 'dialog', 'aria-modal': 'true' }, h('h3', { class: 'modal-title' }, title), body);
  const overlay = h('div', { class: 'modal-overlay', onMousedown: (event) => { if (event.target === overlay) close(); } }, panel);
  document.addEventListener('keydown', onKey);
  document.body.append(overlay);
  return { close, panel };
}

/// The confirm dialog: title, message, an optional text input whose placeholder is the input title
/// (Enter confirms), the confirm button and Cancel.
function openConfirm({ title, message, inputTitle, confirmText = 'Confirm', type = 'info', onConfirm }) {
  const input = inputTitle ? h('input', { type: 'text', class: 'text-input', placeholder: inputTitle }) : null;
  const confirm = () => { const value = input ? input.value : undefined; dialog.close(); onConfirm(value); };
  if (input) input.addEventListener('keydown', (event) => { if (event.key === 'Enter') { event.preventDefault(); confirm(); } });
  const body = h('div', {},
    h('p', { class: 'modal-message' }, message),
    input && h('div', { class: 'modal-input' }, input),
    h('div', { class: 'modal-buttons' },
      h('button', { type: 'button', class: `btn ${type === 'warning' ? 'btn-danger' : 'btn-primary'}`, onClick: confirm }, confirmText),
      h('button', { type: 'button', class: 'btn btn-secondary', onClick: () => dialog.close() }, 'Cancel')));
  const dialog = openModal(title, body);
  (input || dialog.panel.querySelector('button')).focus();
  return dialog;
}

/// A dropdown shaped like react-select (class prefix `aitk-react-select`): a control with the value and
/// a searchable combobox input, and a menu of role=option entries opened by clicking the control.
function customSelect({ options, value, onChange, placeholder = 'Select...' }) {
  let current = value;
  let open = false;
  let focused = 0;
  const single = h('div', { class: 'aitk-react-select__single-value' });
  const input = h('input', { class: 'aitk-react-select__input', type: 'text', role: 'combobox', autocomplete: 'off',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-haspopup': 'true' });
  const menuList = h('div', { class: 'aitk-react-select__menu-list', role: 'listbox' });
  const menu = h('div', { class: 'aitk-react-select__menu', hidden: true }, menuList);
  const control = h('div', { class: 'aitk-react-select__control' },
    h('div', { class: 'aitk-react-select__value-container' }, single, input),
    h('div', { class: 'aitk-react-select__indicators' }, h('span', { class: 'aitk-react-select__indicator' }, icon('chevron-down', 16))));
  const container = h('div', { class: 'aitk-react-select-container' }, control, menu);

  const labelOf = (v) => (options.find((o) => o.value === v) || {}).label;
  const visible = () => options.filter((o) => o.label.toLowerCase().includes(input.value.toLowerCase()));
  function paintValue() {
    const label = labelOf(current);
    single.textContent = input.value ? '' : (label || placeholder);
    single.classList.toggle('aitk-react-select__placeholder', !label);
  }
  function paintMenu() {
    const shown = visible();
    focused = Math.min(focused, Math.max(shown.length - 1, 0));
    menuList.replaceChildren(...(shown.length ? shown.map((o, i) => h('div', {
      class: `aitk-react-select__option${o.value === current ? ' aitk-react-select__option--is-selected' : ''}${i === focused ? ' aitk-react-select__option--is-focused' : ''}`,
      role: 'option', 'aria-selected': String(o.value === current),
      onMousedown: (event) => { event.preventDefault(); choose(o.value); },
      onClick: () => { if (open) choose(o.value); },
    }, o.label)) : [h('div', { class: 'aitk-react-select__menu-notice' }, 'No options')]));
  }
  // Disabled when its input is, including inside a disabled <fieldset>.
  const disabled = () => input.matches(':disabled');
  function setOpen(next) {
    if (next && disabled()) return;
    open = next;
    menu.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    control.classList.toggle('aitk-react-select__control--menu-is-open', open);
    if (open) paintMenu(); else { input.value = ''; paintValue(); }
  }
  function choose(v) {
    current = v;
    setOpen(false);
    paintValue();
    if (onChange) onChange(v);
  }
  control.addEventListener('mousedown', (event) => {
    if (disabled()) return;
    event.preventDefault();
    input.focus();
    setOpen(!open);
  });
  input.addEventListener('input', () => { if (!open) setOpen(true); focused = 0; paintValue(); paintMenu(); });
  input.addEventListener('blur', () => setOpen(false));
  input.addEventListener('keydown', (event) => {
    const shown = visible();
    if (event.key === 'ArrowDown') { event.preventDefault(); if (!open) setOpen(true); else { focused = Math.min(focused + 1, shown.length - 1); paintMenu(); } }
    else if (event.key === 'ArrowUp') { event.preventDefault(); focused = Math.max(focused - 1, 0); paintMenu(); }
    else if (event.key === 'Enter' && open) { event.preventDefault(); if (shown[focused]) choose(shown[focused].value); }
    else if (event.key === 'Escape') setOpen(false);
  });
  paintValue();
  return {
    element: container,
    get value() { return current; },
    set value(v) { current = v; paintValue(); },
    setOptions(next) { options = next; paintValue(); if (open) paintMenu(); },
  };
}

/// The real TextInput/NumberInput/SelectInput: a label with no `for`, then the input.
// A menu under its button, right-aligned to it, until a press outside it (the real menus' Popover).
function openPopover(anchor, menu) {
  const rect = anchor.getBoundingClientRect();
  menu.style.top = `${rect.bottom + window.scrollY + 4}px`;
  menu.style.left = `${Math.max(8, rect.right + window.scrollX - 180)}px`;
  document.body.append(menu);
  const dismiss = (event) => { if (!menu.contains(event.target)) { menu.remove(); document.removeEventListener('mousedown', dismiss); } };
  setTimeout(() => document.addEventListener('mousedown', dismiss), 0);
}

function field(label, control) {
  return h('div', { class: 'field' }, h('label', { class: 'field-label' }, label), control);
}
function textInput(attrs) { return h('input', { type: 'text', class: 'text-input', ...attrs }); }
function numberInput(attrs) { return h('input', { type: 'number', class: 'text-input', ...attrs }); }

function card(title, ...children) {
  return h('section', { class: 'card' }, h('h2', { class: 'card-title' }, title), h('div', { class: 'card-body' }, ...children));
}

/// The real TopBar (components/layout.tsx): from 2026-08 it opens with the menu button that shows the
/// mobile sidebar below 768 px ("md:hidden"); the 2025-10 TopBar has no such button.
function topBar(...children) {
  const menuButton = OLD_UI ? null : h('button', {
    type: 'button', class: 'mobile-menu-button md:hidden', 'aria-label': 'Open menu',
    onClick: () => document.body.classList.add('mobile-sidebar-open'),
  }, h('img', { src: '/favicon.ico', alt: 'Ostris AI Toolkit' }));
  return h('div', { class: 'top-bar' }, menuButton, ...children);
}

/// A plain page's bar: the title, the "flex-1" spacer, the buttons (app/datasets/page.tsx, jobs/page.tsx, ...).
function pageHeader(title, ...actions) {
  return topBar(h('div', {}, h('h1', { class: 'page-title' }, title)), h('div', { class: 'flex-1' }), h('div', { class: 'top-bar-actions' }, ...actions));
}

/// A button's two names, as the real pairs `<span className="sm:hidden">+ New</span><span className="hidden
/// sm:inline">New Dataset</span>`: a role query sees only the visible one, so below 640 px the button is
/// called by its short name. 2025-10 buttons have one name.
function smLabel(short, long) {
  return OLD_UI ? [long] : [h('span', { class: 'sm:hidden' }, short), h('span', { class: 'hidden sm:inline' }, long)];
}

function statusPill(status) {
  return h('span', { class: `status-pill status-${status || 'stopped'}` }, status || 'stopped');
}

// Small DOM helpers: elements are built with h() (text is never parsed as HTML).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function mount(...children) {
  const main = document.getElementById('main');
  main.replaceChildren();
  append(main, children);
}

export function errorBox(error) {
  return h('p', { class: 'error', role: 'alert' }, describe(error));
}

export function describe(error) {
  if (error && error.body && error.body.description) {
    const code = error.body.code ? ` (${error.body.type}:${error.body.code})` : '';
    return error.body.description + code;
  }
  return (error && error.message) || String(error);
}

export function time(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return h('time', { datetime: iso, title: iso }, date.toLocaleString());
}

export function badge(status, extra) {
  const text = String(status).replace(/_/g, ' ');
  return h('span', { class: `badge ${status}` }, extra ? `${text}: ${extra}` : text);
}

// A table with a header, one row per item (cells from columns[i].cell(item), attributes of the
// row from rowAttrs(item)), or an empty state.
export function table(label, columns, items, emptyText, rowAttrs = () => ({})) {
  if (items.length === 0) return h('p', { class: 'empty card' }, emptyText);
  const head = h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.title)));
  const rows = items.map((item) =>
    h('tr', rowAttrs(item), columns.map((c) => h('td', { 'data-label': c.title }, c.cell(item)))));
  return h('div', { class: 'table-wrap' },
    h('table', { 'aria-label': label }, h('thead', {}, head), h('tbody', {}, rows)));
}

// A button that disables itself while `action` runs and reports a failure next to it.
export function actionButton(text, action, attrs = {}) {
  const status = h('span', { role: 'status', class: 'hint' });
  const button = h('button', {
    type: 'button', ...attrs,
    onclick: async () => {
      button.disabled = true;
      status.textContent = '';
      try { await action(); } catch (error) { status.textContent = describe(error); }
      finally { button.disabled = false; }
    },
  }, text);
  return h('span', { class: 'row' }, button, status);
}

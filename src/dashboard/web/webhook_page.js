// One webhook: options, actions, subscribed vehicles, the delivery log and its chart.
import { webhooks } from './api.js';
import { deliveryChart } from './chart.js';
import { actionButton, badge, errorBox, h, mount, time } from './dom.js';
import { PagedList, pageSize, pagedTable } from './paging.js';
import { statusBadge } from './webhooks.js';

function json(value) {
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function options(w) {
  const rows = [['ID', w.id], ['Type', w.type], ['Callback URI', w.callbackUri],
    ['Created', time(w.createdAt)], ['Verified', time(w.verifiedAt)],
    ['Verification error', w.verificationError], ['Data', json(w.data)],
    ['Trigger', json(w.trigger)], ['Intervals', json(w.intervals)],
    ['Max payload bytes', w.maxPayloadBytes], ['Standard Webhooks', json(w.standardWebhooks)],
    ['Error callback URI', w.errorCallbackUri], ['Discarded deliveries', w.discardedCount]];
  return h('dl', { class: 'options' }, rows.filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => [h('dt', {}, k), h('dd', { class: typeof v === 'string' ? 'mono' : '' }, v)]));
}

function actions(w, reload) {
  const run = (fn) => async () => { await fn(w.id); await reload(); };
  return h('div', { class: 'row' },
    w.status === 'pending_verification'
      ? actionButton('Verify this webhook', run(webhooks.verify), { class: 'primary' }) : null,
    w.status === 'disabled'
      ? actionButton('Re-enable', run(webhooks.enable), { class: 'primary' }) : null,
    w.status === 'enabled' ? actionButton('Disable', run(webhooks.disable)) : null,
    actionButton('Delete', async () => {
      if (!window.confirm(`Delete webhook “${w.name}”?`)) return;
      await webhooks.remove(w.id);
      location.hash = '#/webhooks';
    }, { class: 'danger' }));
}

function attempts(delivery) {
  const list = delivery.attempts || [];
  if (list.length === 0) return 'no attempt yet';
  return h('details', {}, h('summary', {}, `${list.length} attempt(s)`),
    h('ol', {}, list.map((a) => h('li', {},
      time(a.at), ' — ', a.statusCode ?? 'no response', a.latencyMs != null ? ` in ${a.latencyMs} ms` : '',
      a.error ? h('div', { class: 'error' }, a.error) : null,
      a.responseExcerpt ? h('div', { class: 'mono' }, a.responseExcerpt) : null))));
}

function subscriptionColumns() {
  return [
    { title: 'Vehicle', cell: (s) => h('span', { class: 'mono' }, s.vehicleId) },
    { title: 'Interval', cell: (s) => s.interval || '—' },
    { title: 'Next due', cell: (s) => time(s.nextDueAt) },
    { title: 'Trigger active', cell: (s) => (s.triggerActive ? 'yes' : 'no') },
    { title: 'Last fetch', cell: (s) => time(s.lastFetchAt) },
  ];
}

function deliveryColumns(reload) {
  return [
    { title: 'Created', cell: (d) => time(d.createdAt) },
    { title: 'Event', cell: (d) => d.eventName },
    { title: 'Status', cell: (d) => badge(d.status) },
    { title: 'Vehicles', cell: (d) => (d.vehicleIds || []).length },
    { title: 'Attempts', cell: attempts },
    { title: 'Last error', cell: (d) => d.lastError || '—' },
    { title: '', cell: (d) => actionButton('Resend', async () => {
      await webhooks.resend(d.id);
      await reload();
    }) },
  ];
}

// The paged lists of webhook `id`: subscriptions by vehicle id, deliveries newest first.
function pagedLists(id) {
  const limit = pageSize();
  const subscriptions = new PagedList(async (cursor) => {
    const page = await webhooks.subscriptions(id, { cursor, limit });
    return { items: page.subscriptions, cursor: page.paging?.cursor ?? null };
  }, { key: (s) => s.vehicleId, reaches: (s, oldest) => s.vehicleId >= oldest.vehicleId });
  const deliveries = new PagedList(async (cursor) => {
    const page = await webhooks.deliveries(id, { cursor, limit });
    return { items: page.deliveries, cursor: page.paging?.cursor ?? null };
  }, { key: (d) => d.id, reaches: (d, oldest) => d.sequence <= oldest.sequence });
  return { subscriptions, deliveries };
}

// The page on screen: its webhook id, lists and the parts that a refresh re-renders.
let view = null;

function render(current, w) {
  const { parts, lists } = current;
  parts.header.replaceChildren(h('div', {},
    h('div', { class: 'row spread' }, h('h1', {}, w.name), statusBadge(w)),
    w.status === 'disabled' && w.disabledReason
      ? h('p', { class: 'error', role: 'alert' }, `Disabled: ${w.disabledReason}`) : null,
    h('section', { class: 'card', 'aria-label': 'Options' }, options(w),
      actions(w, current.reload))));
  parts.chart.replaceChildren(deliveryChart(lists.deliveries.items),
    h('p', { class: 'legend' }, h('span', { class: 'ok' }, 'deliveries'), ' ',
      h('span', { class: 'bad' }, 'failed attempts')));
  parts.subscriptionsHeading.textContent =
    `Subscribed vehicles (${w.subscriptionCount ?? lists.subscriptions.items.length})`;
  parts.subscriptions.update();
  parts.deliveries.update();
}

// Shows webhook `id`. With `refresh` (live events, after an action) the page on screen is
// updated in place, keeping the older pages the user loaded; otherwise it starts afresh.
export async function showWebhook(id, { refresh = false } = {}) {
  if (refresh && view && view.id === id && document.contains(view.root)) {
    const current = view;
    const [w] = await Promise.all([webhooks.get(id), current.lists.subscriptions.refresh(),
      current.lists.deliveries.refresh()]);
    if (view === current) render(current, w);
    return;
  }
  const lists = pagedLists(id);
  const current = { id, lists, reload: () => showWebhook(id, { refresh: true }) };
  view = current;
  const hash = location.hash;
  const [w] = await Promise.all([webhooks.get(id), lists.subscriptions.refresh(),
    lists.deliveries.refresh()]);
  if (view !== current || location.hash !== hash) return;  // the user went elsewhere meanwhile
  current.parts = {
    header: h('div'),
    chart: h('section', { class: 'card' }),
    subscriptionsHeading: h('h2'),
    subscriptions: pagedTable(lists.subscriptions, { label: 'Subscribed vehicles',
      columns: subscriptionColumns(), noun: 'vehicles',
      emptyText: 'No vehicle is subscribed to this webhook yet.' }),
    deliveries: pagedTable(lists.deliveries, { label: 'Delivery log',
      columns: deliveryColumns(current.reload), noun: 'deliveries',
      emptyText: 'No deliveries yet.' }),
  };
  const { parts } = current;
  current.root = h('div', {},
    h('p', {}, h('a', { href: '#/webhooks' }, '← Webhooks')), parts.header,
    h('h2', {}, 'Deliveries over time'), parts.chart,
    parts.subscriptionsHeading, parts.subscriptions.element,
    h('h2', {}, 'Delivery log'), parts.deliveries.element);
  render(current, w);
  mount(current.root);
}

export function webhookError(error) {
  mount(h('p', {}, h('a', { href: '#/webhooks' }, '← Webhooks')), errorBox(error));
}

// One webhook: options, actions, subscribed vehicles, the delivery log and its chart.
import { webhooks } from './api.js';
import { deliveryChart } from './chart.js';
import { actionButton, badge, errorBox, h, mount, table, time } from './dom.js';
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

export async function showWebhook(id) {
  const reload = () => showWebhook(id);
  const [w, subs, log] = await Promise.all([
    webhooks.get(id), webhooks.subscriptions(id), webhooks.deliveries(id)]);
  const subscriptions = table('Subscribed vehicles', [
    { title: 'Vehicle', cell: (s) => h('span', { class: 'mono' }, s.vehicleId) },
    { title: 'Interval', cell: (s) => s.interval || '—' },
    { title: 'Next due', cell: (s) => time(s.nextDueAt) },
    { title: 'Trigger active', cell: (s) => (s.triggerActive ? 'yes' : 'no') },
    { title: 'Last fetch', cell: (s) => time(s.lastFetchAt) },
  ], subs.subscriptions, 'No vehicle is subscribed to this webhook yet.');
  const deliveries = table('Delivery log', [
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
  ], log.deliveries, 'No deliveries yet.');
  mount(
    h('p', {}, h('a', { href: '#/webhooks' }, '← Webhooks')),
    h('div', { class: 'row spread' }, h('h1', {}, w.name), statusBadge(w)),
    w.status === 'disabled' && w.disabledReason
      ? h('p', { class: 'error', role: 'alert' }, `Disabled: ${w.disabledReason}`) : null,
    h('section', { class: 'card', 'aria-label': 'Options' }, options(w), actions(w, reload)),
    h('h2', {}, 'Deliveries over time'),
    h('section', { class: 'card' }, deliveryChart(log.deliveries),
      h('p', { class: 'legend' }, h('span', { class: 'ok' }, 'deliveries'), ' ',
        h('span', { class: 'bad' }, 'failed attempts'))),
    h('h2', {}, `Subscribed vehicles (${subs.subscriptions.length})`), subscriptions,
    h('h2', {}, 'Delivery log'), deliveries);
}

export function webhookError(error) {
  mount(h('p', {}, h('a', { href: '#/webhooks' }, '← Webhooks')), errorBox(error));
}

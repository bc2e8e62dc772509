// The webhooks list and the "+ Add webhook" wizard.
import { webhooks } from './api.js';
import { actionButton, badge, describe, errorBox, h, mount, table } from './dom.js';

export function statusBadge(webhook) {
  if (webhook.status === 'disabled') return badge('disabled', webhook.disabledReason || undefined);
  return badge(webhook.status);
}

export async function showWebhooks() {
  const { webhooks: list } = await webhooks.list();
  const columns = [
    { title: 'Name', cell: (w) => h('a', { href: `#/webhooks/${w.id}` }, w.name) },
    { title: 'Type', cell: (w) => w.type },
    { title: 'Callback URI', cell: (w) => h('span', { class: 'mono' }, w.callbackUri) },
    { title: 'Status', cell: statusBadge },
    { title: 'Vehicles', cell: (w) => w.subscriptionCount ?? '—' },
    { title: 'Deliveries (1 h)', cell: (w) => w.deliveriesLastHour ?? '—' },
  ];
  mount(
    h('div', { class: 'row spread' }, h('h1', {}, 'Webhooks'),
      h('a', { class: 'button primary', href: '#/webhooks/new' }, '+ Add webhook')),
    table('Webhooks', columns, list,
      'No webhooks yet. Add one to start receiving vehicle data.'));
}

// The wizard keeps its answers between steps; each step re-renders the page.
export function showWizard() {
  const answers = { type: 'dynamic', name: '', callbackUri: '' };
  const steps = ['Type', 'Details', 'Confirm', 'Verify'];
  const frame = (step, ...content) => mount(
    h('h1', {}, 'Add webhook'),
    h('ol', { class: 'steps', 'aria-label': 'Progress' },
      steps.map((s, i) => h('li', { 'aria-current': i === step ? 'step' : undefined },
        `${i + 1}. ${s}`))),
    h('section', { class: 'card' }, ...content));

  const typeStep = () => {
    const form = h('form', { onsubmit: (e) => { e.preventDefault(); detailsStep(); } },
      h('fieldset', {}, h('legend', {}, 'Webhook type'),
        h('label', {}, h('input', { type: 'radio', name: 'type', value: 'dynamic', checked: true }),
          ' Dynamic'),
        h('p', { class: 'hint' },
          'Delivers vehicle data on a schedule that adapts to the vehicle (e.g. more often while charging).')),
      h('div', { class: 'row' }, h('a', { class: 'button', href: '#/webhooks' }, 'Cancel'),
        h('button', { class: 'primary', type: 'submit' }, 'Next')));
    frame(0, form);
  };

  const detailsStep = () => {
    const name = h('input', { id: 'wh-name', type: 'text', required: true, value: answers.name,
      autocomplete: 'off' });
    const uri = h('input', { id: 'wh-uri', type: 'url', required: true, value: answers.callbackUri,
      placeholder: 'https://example.com/webhooks/smartcar' });
    const form = h('form', { onsubmit: (e) => {
      e.preventDefault();
      answers.name = name.value.trim();
      answers.callbackUri = uri.value.trim();
      confirmStep();
    } },
      h('label', { for: 'wh-name' }, 'Name'), name,
      h('label', { for: 'wh-uri' }, 'Callback URI'), uri,
      h('p', { class: 'hint' }, 'The URI must answer the verification challenge.'),
      h('div', { class: 'row' }, h('button', { type: 'button', onclick: typeStep }, 'Back'),
        h('button', { class: 'primary', type: 'submit' }, 'Next')));
    frame(1, form);
    name.focus();
  };

  const confirmStep = (error) => {
    const add = h('button', { class: 'primary', type: 'button', onclick: async () => {
      add.disabled = true;
      try { verifyStep(await webhooks.create({ ...answers })); }
      catch (e) { confirmStep(e); }
    } }, 'Add webhook');
    frame(2,
      h('dl', { class: 'options' }, h('dt', {}, 'Type'), h('dd', {}, 'Dynamic'),
        h('dt', {}, 'Name'), h('dd', {}, answers.name),
        h('dt', {}, 'Callback URI'), h('dd', { class: 'mono' }, answers.callbackUri)),
      error ? errorBox(error) : null,
      h('div', { class: 'row' }, h('button', { type: 'button', onclick: detailsStep }, 'Back'), add));
  };

  const verifyStep = (webhook, error) => {
    const verified = webhook.status === 'enabled';
    const outcome = verified
      ? h('p', { class: 'success', role: 'status' }, 'Verified: the callback answered the challenge.')
      : h('p', { class: 'error', role: 'alert' }, 'Not verified: ',
        error ? describe(error) : (webhook.verificationError || 'the callback did not answer the challenge.'));
    frame(3, h('h2', {}, webhook.name), statusBadge(webhook), outcome,
      webhook.signingSecret ? h('p', {}, 'Signing secret (shown once): ',
        h('span', { class: 'mono' }, webhook.signingSecret)) : null,
      h('div', { class: 'row' },
        verified ? null : actionButton('Verify this webhook', async () => {
          try { verifyStep(await webhooks.verify(webhook.id)); }
          catch (e) { verifyStep(webhook, e); }
        }, { class: 'primary' }),
        h('a', { class: 'button', href: `#/webhooks/${webhook.id}` }, 'Open webhook'),
        h('a', { class: 'button', href: '#/webhooks' }, 'All webhooks')));
  };

  typeStep();
}

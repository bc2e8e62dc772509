// The dashboard's entry point: login, hash routing (#/webhooks, #/webhooks/new,
// #/webhooks/<id>, #/vehicles) and live refresh from the event stream.
import { ApiError, tokens, webhooks } from './api.js';
import { errorBox, h, mount } from './dom.js';
import { openEvents } from './sse.js';
import { showVehicles } from './vehicles.js';
import { showWebhook } from './webhook_page.js';
import { showWebhooks, showWizard } from './webhooks.js';

let events = null;
let refreshTimer = null;

function showLogin(error) {
  const amt = h('input', { id: 'amt', type: 'password', required: true, autocomplete: 'off' });
  const admin = h('input', { id: 'admin-token', type: 'password', autocomplete: 'off' });
  const form = h('form', { class: 'card', 'aria-label': 'Log in', onsubmit: async (e) => {
    e.preventDefault();
    tokens.save(amt.value.trim(), admin.value.trim());
    try {
      await webhooks.list();
      start();
    } catch (failure) {
      tokens.clear();
      showLogin(failure);
    }
  } },
    h('h1', {}, 'Log in'),
    h('label', { for: 'amt' }, 'Application management token (AMT)'), amt,
    h('label', { for: 'admin-token' }, 'Admin token (optional, for the Vehicles page)'), admin,
    h('p', { class: 'hint' }, 'Tokens stay in this browser tab (sessionStorage).'),
    error ? errorBox(error) : null,
    h('button', { class: 'primary', type: 'submit' }, 'Log in'));
  document.getElementById('nav').hidden = true;
  mount(form);
  amt.focus();
}

function webhookId(path) { return decodeURIComponent(path.slice('/webhooks/'.length)); }

// `refresh`: a live update of the page on screen (the webhook page keeps its loaded pages).
async function route({ refresh = false } = {}) {
  const path = location.hash.replace(/^#/, '') || '/webhooks';
  try {
    if (path === '/webhooks') await showWebhooks();
    else if (path === '/webhooks/new') showWizard();
    else if (path.startsWith('/webhooks/')) await showWebhook(webhookId(path), { refresh });
    else if (path === '/vehicles' && tokens.admin) await showVehicles();
    else mount(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/webhooks' }, 'Webhooks')));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && !path.startsWith('/vehicles')) {
      logout(error);
      return;
    }
    mount(errorBox(error));
  }
}

// Live events re-render the list or a webhook page (not the wizard, which holds user input).
function onEvent(type) {
  if (type !== 'webhook' && type !== 'delivery') return;
  const path = location.hash.replace(/^#/, '') || '/webhooks';
  if (path === '/webhooks/new' || path === '/vehicles') return;
  if (document.querySelector('main details[open]')) return;  // the user is reading attempts
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => route({ refresh: true }), 300);
}

function setLive(connected) {
  const live = document.getElementById('live');
  live.textContent = connected ? 'live' : 'offline';
  live.classList.toggle('on', connected);
}

function start() {
  document.getElementById('nav').hidden = false;
  document.getElementById('nav-vehicles').hidden = !tokens.admin;
  if (events) events.stop();
  events = openEvents(tokens.amt, onEvent, setLive);
  route();
}

function logout(error) {
  if (events) events.stop();
  events = null;
  tokens.clear();
  setLive(false);
  showLogin(error);
}

window.addEventListener('hashchange', () => { if (tokens.amt) route(); });
document.getElementById('logout').addEventListener('click', () => logout());
if (tokens.amt) start(); else showLogin();

// The JSON APIs with the tokens kept in sessionStorage (the AMT; the admin token optionally).
const kAmt = 'dynhook.amt';
const kAdmin = 'dynhook.adminToken';

export const tokens = {
  get amt() { return sessionStorage.getItem(kAmt) || ''; },
  get admin() { return sessionStorage.getItem(kAdmin) || ''; },
  save(amt, admin) {
    sessionStorage.setItem(kAmt, amt);
    if (admin) sessionStorage.setItem(kAdmin, admin); else sessionStorage.removeItem(kAdmin);
  },
  clear() { sessionStorage.removeItem(kAmt); sessionStorage.removeItem(kAdmin); },
};

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.description) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export async function call(method, path, { body, admin = false } = {}) {
  const headers = { Authorization: `Bearer ${admin ? tokens.admin : tokens.amt}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { description: text }; }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

function pageQuery(cursor, limit) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  return query.toString();
}

export const webhooks = {
  list: () => call('GET', '/api/webhooks'),
  get: (id) => call('GET', `/api/webhooks/${encodeURIComponent(id)}`),
  create: (body) => call('POST', '/api/webhooks', { body }),
  verify: (id) => call('POST', `/api/webhooks/${encodeURIComponent(id)}/verify`, { body: {} }),
  enable: (id) =>
    call('POST', `/api/webhooks/${encodeURIComponent(id)}/enable?replay=held`, { body: {} }),
  disable: (id) => call('POST', `/api/webhooks/${encodeURIComponent(id)}/disable`, { body: {} }),
  remove: (id) => call('DELETE', `/api/webhooks/${encodeURIComponent(id)}`),
  // One page ({subscriptions | deliveries, paging: {cursor}}); `cursor` null for the first.
  subscriptions: (id, { cursor, limit }) => call('GET',
    `/api/webhooks/${encodeURIComponent(id)}/subscriptions?${pageQuery(cursor, limit)}`),
  deliveries: (id, { cursor, limit }) => call('GET',
    `/api/webhooks/${encodeURIComponent(id)}/deliveries?${pageQuery(cursor, limit)}`),
  resend: (deliveryId) =>
    call('POST', `/api/deliveries/${encodeURIComponent(deliveryId)}/resend`, { body: {} }),
};

export const sim = {
  vehicles: () => call('GET', '/api/admin/sim/vehicles', { admin: true }),
  pin: (id, state) => call('PUT', `/api/admin/sim/vehicles/${encodeURIComponent(id)}/state`,
    { body: state, admin: true }),
  release: (id) =>
    call('DELETE', `/api/admin/sim/vehicles/${encodeURIComponent(id)}/state`, { admin: true }),
  fault: (id, fault) => call('PUT', `/api/admin/sim/vehicles/${encodeURIComponent(id)}/fault`,
    { body: { fault }, admin: true }),
  clearFault: (id) =>
    call('DELETE', `/api/admin/sim/vehicles/${encodeURIComponent(id)}/fault`, { admin: true }),
};

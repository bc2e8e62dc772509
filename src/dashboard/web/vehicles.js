// The simulated fleet (admin token): plug in / unplug, release pins, inject and clear faults.
import { sim } from './api.js';
import { actionButton, h, mount, table } from './dom.js';

const kFaults = ['AUTHENTICATION_FAILED', 'ACCOUNT_ISSUE', 'ASLEEP', 'UNREACHABLE',
  'UPSTREAM_TIMEOUT', 'UPSTREAM_RATE_LIMIT', 'RATE_LIMIT'];

function faultControls(v, reload) {
  const id = `fault-${v.id}`;
  const select = h('select', { id }, kFaults.map((f) => h('option', { value: f }, f)));
  return h('div', { class: 'row' },
    h('label', { for: id, class: 'hint' }, 'Fault'), select,
    actionButton('Inject fault', async () => { await sim.fault(v.id, select.value); await reload(); }),
    v.fault ? actionButton('Clear fault', async () => { await sim.clearFault(v.id); await reload(); })
      : null);
}

function pinned(v) {
  const keys = v.override && typeof v.override === 'object' ? Object.keys(v.override) : [];
  if (keys.length === 0) return 'none';
  return keys.map((k) => `${k}=${JSON.stringify(v.override[k].value ?? v.override[k])}`).join(', ');
}

export async function showVehicles() {
  const reload = () => showVehicles();
  const { vehicles } = await sim.vehicles();
  const columns = [
    { title: 'Vehicle', cell: (v) => h('div', {}, `${v.year} ${v.make} ${v.model}`,
      h('div', { class: 'mono' }, v.id)) },
    { title: 'Owner', cell: (v) => v.username },
    { title: 'Pinned', cell: pinned },
    { title: 'Fault', cell: (v) => v.fault || 'none' },
    { title: 'Charging', cell: (v) => h('div', { class: 'row' },
      actionButton('Plug in', async () => { await sim.pin(v.id, { isPluggedIn: true }); await reload(); }),
      actionButton('Unplug', async () => { await sim.pin(v.id, { isPluggedIn: false }); await reload(); }),
      actionButton('Release pins', async () => { await sim.release(v.id); await reload(); })) },
    { title: 'Faults', cell: (v) => faultControls(v, reload) },
  ];
  mount(h('h1', {}, 'Vehicles (simulated)'),
    h('p', { class: 'hint' },
      'Plug a vehicle in or out, or inject a fault, and watch its webhook interval change.'),
    table('Simulated vehicles', columns, vehicles,
      'No simulated vehicles. Create an account with POST /api/admin/sim/accounts.'));
}

// Zone 3: the four ledger cards, as the report formats them ("250 MB/s"), with
// their one line of why and a worded state beside the colour.
import {el, subscribe} from './views.js';

export function initLedger() {
  const list = document.getElementById('ledger');
  subscribe('report', (report) => {
    list.replaceChildren(...report.ledger.map((card) => el('li',
      {class: `card ${card.ok ? 'ok' : 'bad'}`, 'data-card': card.id},
      el('h4', {text: card.title}),
      el('p', {class: 'card-value', text: card.display}),
      el('p', {class: 'card-state', text: card.ok ? '✓ healthy' : '✗ needs attention'}),
      el('p', {class: 'card-detail', text: card.detail}))));
  });
}

// The conversation list: one page of GET /v2/bots/requests/public, newest first, with the
// cursors of that page behind the Older and Newer buttons.

import {getJson} from './api.js';
import {byId, clear, h} from './dom.js';
import {categoryChips, escalationBadge, feedbackBadge, plural, sourceName, timeElement} from './format.js';
import {activeFilterCount, pageParams, withState} from './query.js';

/** Loads the page the state names and shows it; view is the app's {state, current, go, href}. */
export async function showList(view) {
  const list = byId('list');
  list.setAttribute('aria-busy', 'true');
  const page = await getJson('/v2/bots/requests/public', pageParams(view.state));
  if (!view.current()) {
    return;
  }
  list.removeAttribute('aria-busy');
  clear(list).append(page.conversations.length === 0 ? emptyMessage(view) : table(page.conversations, view));
  setUpPager(page, view);
}

function table(conversations, view) {
  return h('table', {class: 'conversations'},
      h('caption', {class: 'visually-hidden'}, 'Conversations, newest first'),
      h('thead', {}, h('tr', {},
          ['Started', 'Source', 'First question', 'Exchanges', 'Escalation', 'Feedback', 'Categories']
              .map((title) => h('th', {scope: 'col'}, title)))),
      h('tbody', {}, conversations.map((conversation) => row(conversation, view))));
}

function row(conversation, view) {
  const requests = conversation.botRequests || [];
  const question = requests.length > 0 && requests[0].question.trim() !== '' ? requests[0].question : '(no question)';
  const href = view.href(withState(view.state, {view: 'conversation', conversation: conversation.id}));
  const link = h('a', {href, class: 'question-link', title: question}, question);
  link.addEventListener('click', (event) => view.follow(event, href));
  const tr = h('tr', {'data-id': conversation.id},
      h('td', {'data-label': 'Started', class: 'started'}, timeElement(conversation.createdAt)),
      h('td', {'data-label': 'Source', class: 'source'}, sourceName(conversation.source),
          conversation.channel ? h('span', {class: 'muted small block'}, conversation.channel) : null),
      h('td', {'data-label': 'First question', class: 'question-cell'}, link),
      h('td', {'data-label': 'Exchanges', class: 'number exchanges-count'}, String(requests.length)),
      h('td', {'data-label': 'Escalation', class: 'flag'}, escalationBadge(conversation.escalation)),
      h('td', {'data-label': 'Feedback', class: 'flag'}, feedbackBadge(conversation.feedbackType)),
      h('td', {'data-label': 'Categories', class: 'categories'}, categoryChips(conversation.categories)));
  // The whole row opens the thread for a mouse; keyboards and screen readers use the link.
  tr.addEventListener('click', (event) => {
    if (event.target.closest('a') === null && window.getSelection().isCollapsed) {
      link.click();
    }
  });
  return tr;
}

function emptyMessage(view) {
  const filtered = activeFilterCount(view.state.filters) > 0;
  return h('div', {class: 'empty'},
      h('p', {}, filtered ? 'No conversations match these filters.' : 'No conversations have been recorded yet.'),
      filtered ? h('p', {class: 'muted'}, 'Widen the dates or clear a filter.') : null);
}

function setUpPager(page, view) {
  const newer = byId('newer');
  const older = byId('older');
  newer.disabled = page.prevCursor === null;
  older.disabled = page.nextCursor === null;
  newer.onclick = () => view.go(withState(view.state, {cursor: page.prevCursor, direction: 'previous'}));
  older.onclick = () => view.go(withState(view.state, {cursor: page.nextCursor, direction: 'next'}));
  const count = page.conversations.length;
  byId('page-summary').textContent = count === 0 ? '' :
    plural(count, 'conversation', 'conversations') + ' on this page, newest first';
}

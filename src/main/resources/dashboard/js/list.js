// The conversation list: one page of GET /v2/bots/requests/public, newest first, with the
// cursors of that page behind the Older and Newer buttons, and how many conversations match in
// all (from GET /v2/bots/stats, which takes the same filters). A text search shows the exchange
// that matched, with the match marked, rather than the first question.

import {ApiError, getJson} from './api.js';
import {byId, clear, h} from './dom.js';
import {categoryChips, containsText, escalationBadge, feedbackBadge, highlighted, plural, reviewBadge, sourceName,
  timeElement} from './format.js';
import {activeFilterCount, filterParams, pageParams, withState} from './query.js';
import {noteConversations} from './workspace.js';

/** Loads the page the state names and shows it; view is the app's {state, current, go, href}. */
export async function showList(view) {
  const list = byId('list');
  list.setAttribute('aria-busy', 'true');
  byId('match-count').textContent = '';
  const [page, matching] = await Promise.all([
    getJson('/v2/bots/requests/public', pageParams(view.state)),
    matchCount(view.state.filters),
  ]);
  if (!view.current()) {
    return;
  }
  if (page.conversations.length === 0 && view.state.cursor) {
    // Nothing is left beyond this cursor (a review took the conversations out of a queue, say):
    // the list starts again at its newest match rather than show an empty page.
    const first = withState(view.state, {cursor: null, direction: 'next'});
    history.replaceState(null, '', view.href(first));
    return showList({...view, state: first});
  }
  noteConversations(page.conversations);
  list.removeAttribute('aria-busy');
  clear(list).append(page.conversations.length === 0 ? emptyMessage(view) : table(page.conversations, view));
  setUpPager(page, matching, view);
  const links = rowLinks();
  if (chooseOnLoad !== null && links.length > 0) {
    choose(links, chooseOnLoad === 'first' ? 0 : links.length - 1);
  }
  chooseOnLoad = null;
}

/** How many conversations match the filters, or null when the server has no statistics. */
async function matchCount(filters) {
  try {
    return (await getJson('/v2/bots/stats', filterParams(filters))).conversations;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return null;
    }
    throw error;
  }
}

function table(conversations, view) {
  const search = view.state.filters.question || view.state.filters.answer;
  // The review column appears once the server reviews (SPEC §11 adds the field to every conversation).
  const reviews = conversations.some((conversation) => 'review' in conversation);
  const titles = ['Started', 'Source', search ? 'Matching exchange' : 'First question', 'Exchanges', 'Escalation',
    'Feedback', reviews ? 'Review' : null, 'Categories'].filter(Boolean);
  return h('table', {class: 'conversations'},
      h('caption', {class: 'visually-hidden'}, 'Conversations, newest first'),
      h('thead', {}, h('tr', {}, titles.map((title) => h('th', {scope: 'col'}, title)))),
      h('tbody', {}, conversations.map((conversation) => row(conversation, view, reviews))));
}

function row(conversation, view, reviews) {
  const requests = conversation.botRequests || [];
  const shown = shownExchange(requests, view.state.filters);
  const request = requests[shown.index];
  const question = request && request.question.trim() !== '' ? request.question : '(no question)';
  const href = view.href(withState(view.state, {view: 'conversation', conversation: conversation.id}));
  const link = h('a', {href, class: 'question-link', title: question},
      shown.question ? highlighted(question, shown.question) : question);
  link.addEventListener('click', (event) => view.follow(event, href));
  const tr = h('tr', {'data-id': conversation.id},
      h('td', {'data-label': 'Started', class: 'started'}, timeElement(conversation.createdAt)),
      h('td', {'data-label': 'Source', class: 'source'}, sourceName(conversation.source),
          conversation.channel ? h('span', {class: 'muted small block'}, conversation.channel) : null),
      h('td', {'data-label': shown.searched ? 'Matching exchange' : 'First question', class: 'question-cell'}, link,
          shown.searched && requests.length > 1 ? h('span', {class: 'muted small block exchange-of'},
              'Exchange ' + (shown.index + 1) + ' of ' + requests.length) : null,
          shown.answer && request ? h('span', {class: 'answer-excerpt small block'},
              highlighted(excerpt(request.answer, shown.answer), shown.answer)) : null),
      h('td', {'data-label': 'Exchanges', class: 'number exchanges-count'}, String(requests.length)),
      h('td', {'data-label': 'Escalation', class: 'flag'}, escalationBadge(conversation.escalation)),
      h('td', {'data-label': 'Feedback', class: 'flag'}, feedbackBadge(conversation.feedbackType)),
      reviews ? h('td', {'data-label': 'Review', class: 'flag review-cell'}, reviewBadge(conversation.review),
          conversation.review && conversation.review.labels.length > 0
            ? categoryChips(conversation.review.labels, 'Labels') : null) : null,
      h('td', {'data-label': 'Categories', class: 'categories'}, categoryChips(conversation.categories)));
  // The whole row opens the thread for a mouse; keyboards and screen readers use the link.
  tr.addEventListener('click', (event) => {
    if (event.target.closest('a') === null && window.getSelection().isCollapsed) {
      link.click();
    }
  });
  return tr;
}

/**
 * Which exchange a row shows: the first whose question and answer hold the searched texts, else
 * the first holding either, else the first. The API matched the conversation on some exchange;
 * this finds it again in the page's data.
 */
export function shownExchange(requests, filters) {
  const question = filters.question || null;
  const answer = filters.answer || null;
  if (!question && !answer) {
    return {index: 0, searched: false, question: null, answer: null};
  }
  const fits = (request, needQuestion, needAnswer) =>
    (!needQuestion || containsText(request.question, question)) && (!needAnswer || containsText(request.answer, answer));
  let index = requests.findIndex((request) => fits(request, question, answer));
  if (index < 0) {
    index = requests.findIndex((request) => fits(request, question, null));
  }
  if (index < 0) {
    index = requests.findIndex((request) => fits(request, null, answer));
  }
  const request = requests[Math.max(index, 0)];
  return {
    index: Math.max(index, 0),
    searched: true,
    question: question && request && containsText(request.question, question) ? question : null,
    answer: answer && request && containsText(request.answer, answer) ? answer : null,
  };
}

/** Some words either side of the first match, so that a long answer shows where it matched. */
function excerpt(text, needle) {
  const at = text.toLowerCase().indexOf(needle.toLowerCase());
  const start = Math.max(0, at - 60);
  const end = Math.min(text.length, at + needle.length + 60);
  return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
}

function emptyMessage(view) {
  const filtered = activeFilterCount(view.state.filters) > 0;
  return h('div', {class: 'empty'},
      h('p', {}, filtered ? 'No conversations match these filters.' : 'No conversations have been recorded yet.'),
      filtered ? h('p', {class: 'muted'}, 'Widen the dates or clear a filter.') : null);
}

function setUpPager(page, matching, view) {
  const newer = byId('newer');
  const older = byId('older');
  newer.disabled = page.prevCursor === null;
  older.disabled = page.nextCursor === null;
  newer.onclick = () => view.go(withState(view.state, {cursor: page.prevCursor, direction: 'previous'}));
  older.onclick = () => view.go(withState(view.state, {cursor: page.nextCursor, direction: 'next'}));
  const count = page.conversations.length;
  byId('match-count').textContent = matching === null ? '' : matching === 0 ? 'No conversations match'
    : plural(matching, 'conversation matches', 'conversations match');
  byId('page-summary').textContent = count === 0 ? '' :
    (matching === null ? plural(count, 'conversation', 'conversations') + ' on this page'
      : 'Showing ' + count + ' of ' + matching.toLocaleString()) + ', newest first';
}

// Which row to choose once the next page has loaded, after j or k walked off the end of one.
let chooseOnLoad = null;

/** j and k on the list: the next or previous row, ready for Enter to open it; past the end, the next page. */
export function listKey(key) {
  const links = rowLinks();
  if (links.length === 0 || (key !== 'j' && key !== 'k')) {
    return false;
  }
  const at = links.indexOf(document.activeElement);
  const step = key === 'j' ? 1 : -1;
  const pager = byId(key === 'j' ? 'older' : 'newer');
  if (at >= 0 && (at + step < 0 || at + step >= links.length) && !pager.disabled) {
    chooseOnLoad = key === 'j' ? 'first' : 'last';
    pager.click();
    return true;
  }
  choose(links, at < 0 ? (key === 'j' ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step)));
  return true;
}

function rowLinks() {
  return [...document.querySelectorAll('#list .question-link')];
}

function choose(links, index) {
  for (const each of document.querySelectorAll('#list tr.selected')) {
    each.classList.remove('selected');
  }
  links[index].closest('tr').classList.add('selected');
  links[index].focus();
}

// One conversation as a thread (GET /v2/bots/conversations/{id}): every question and answer in
// order, the knowledge each answer used, its reasoning folded away, and its feedback. A text
// search marks the exchanges that matched and scrolls to the first. With a key that can review,
// the thread ends its head with the review (status, labels, note), and j/k walk the list the
// thread was opened from without going back to it.

import {ApiError, getJson} from './api.js';
import {byId, clear, externalLink, h, httpUrl, say} from './dom.js';
import {categoryChips, containsText, escalationBadge, feedbackBadge, highlighted, linksIn, sourceName,
  timeElement} from './format.js';
import {pageParams, withState, writeState} from './query.js';
import {showReview} from './review.js';

// The thread on screen and the app's view it belongs to, for the keys.
let shown = null;
// The conversations left with j, latest last, for the list with these filters: k returns to them,
// also when a review took them out of the list (the queue holds unreviewed conversations only).
let trail = {filters: null, ids: []};

export async function showThread(view) {
  shown = null;
  const back = byId('back-to-list');
  back.setAttribute('href', view.href(withState(view.state, {view: 'list', conversation: null})));
  clear(byId('thread'));
  let conversation;
  try {
    conversation = await getJson('/v2/bots/conversations/' + encodeURIComponent(view.state.conversation));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400) && view.current()) {
      byId('thread').append(h('p', {class: 'notice error', role: 'alert'},
          'There is no such conversation in this workspace. It may have been deleted, or the link is incomplete.'));
      return;
    }
    throw error;
  }
  if (!view.current()) {
    return;
  }
  const review = h('section', {id: 'review', class: 'card review-panel', 'aria-labelledby': 'review-title', hidden: true});
  byId('thread').append(summary(conversation), review, exchanges(conversation, view.state.filters));
  shown = {view, conversation, review: await showReview(review, conversation, view)};
  const firstMatch = byId('thread').querySelector('.exchange.matched');
  if (firstMatch && view.current()) {
    firstMatch.scrollIntoView({block: 'center'});
  }
}

function summary(conversation) {
  const requests = conversation.botRequests;
  const title = requests.length > 0 ? requests[0].question : 'Conversation';
  const facts = [
    ['Started', timeElement(conversation.createdAt)],
    ['Last change', timeElement(conversation.updatedAt)],
    ['Source', sourceName(conversation.source) + (conversation.channel ? ' · ' + conversation.channel : '')],
    ['Exchanges', String(requests.length)],
    ['Escalation', escalationBadge(conversation.escalation)],
    ['Feedback', feedbackBadge(conversation.feedbackType)],
    ['Ticket', conversation.externalId],
    ['User', conversation.userId],
    ['Categories', categoryChips(conversation.categories)],
  ].filter(([, value]) => value !== null && value !== undefined);
  const sourceLink = httpUrl(conversation.url) === null ? null
    : externalLink(conversation.url, 'Open in ' + sourceName(conversation.source) + ' ↗', 'button source-link');
  return h('header', {class: 'card thread-head'},
      h('div', {class: 'thread-title-row'},
          h('h1', {id: 'thread-title', class: 'thread-title', tabindex: '-1'}, title),
          sourceLink),
      h('dl', {class: 'facts'}, facts.map(([name, value]) => h('div', {}, h('dt', {}, name), h('dd', {}, value)))),
      h('p', {class: 'muted small'}, 'Conversation ', h('code', {}, conversation.id)));
}

function exchanges(conversation, filters) {
  return h('ol', {class: 'exchanges', 'aria-label': 'Exchanges, oldest first'},
      conversation.botRequests.map((request, index) => exchange(request, index, filters)));
}

function exchange(request, index, filters) {
  const question = filters.question && containsText(request.question, filters.question) ? filters.question : null;
  const answer = filters.answer && containsText(request.answer, filters.answer) ? filters.answer : null;
  const matched = question !== null || answer !== null;
  return h('li', {class: 'exchange card' + (matched ? ' matched' : ''), 'data-request-id': request.id},
      h('div', {class: 'exchange-head'},
          h('span', {class: 'exchange-number'}, '#' + (index + 1)),
          timeElement(request.createdAt),
          matched ? h('span', {class: 'badge match'}, 'Matches the search') : null,
          request.escalation ? h('span', {class: 'badge warn'}, 'Escalated') : null,
          request.feedbackType ? feedbackBadge(request.feedbackType) : null,
          request.expectingUserFollowup ? h('span', {class: 'badge'}, 'Awaiting the user') : null,
          request.categories.length > 0 ? categoryChips(request.categories) : null),
      message('question', 'Question', request.question, question),
      message('answer', 'Answer', request.answer, answer),
      knowledge(request.basedOn || [], request.answer),
      reasoning(request.reasoning));
}

function message(kind, label, text, needle) {
  return h('section', {class: 'message ' + kind, 'aria-label': label},
      h('h2', {class: 'message-label'}, label),
      h('p', {class: 'message-text'}, needle ? highlighted(text, needle) : text));
}

/** The knowledge an answer cited; an answer without any may still hold links of its own (SPEC §1). */
function knowledge(sources, answer) {
  if (sources.length === 0) {
    const links = [...new Set(linksIn(answer))];
    if (links.length > 0) {
      return h('section', {class: 'knowledge answer-links', 'aria-label': 'Links in the answer'},
          h('h2', {class: 'knowledge-title'}, 'Links in the answer (' + links.length + ')'),
          h('ul', {}, links.map((url) => h('li', {class: 'citation'}, externalLink(url, url, 'citation-title')))));
    }
    return h('p', {class: 'muted small knowledge-none'}, 'No knowledge cited.');
  }
  return h('section', {class: 'knowledge', 'aria-label': 'Knowledge used'},
      h('h2', {class: 'knowledge-title'}, 'Knowledge used (' + sources.length + ')'),
      h('ul', {}, sources.map(citation)));
}

function citation(source) {
  const label = source.title || source.url || source.sourceId || 'Untitled source';
  const details = [source.sourceType, source.sourceId && source.sourceId !== label ? source.sourceId : null,
    typeof source.score === 'number' ? 'score ' + source.score.toFixed(2) : null].filter(Boolean);
  return h('li', {class: 'citation'},
      externalLink(source.url, label, 'citation-title'),
      details.length > 0 ? h('span', {class: 'muted small'}, ' · ' + details.join(' · ')) : null,
      source.snippet ? h('blockquote', {class: 'snippet'}, source.snippet) : null);
}

function reasoning(text) {
  if (!text) {
    return null;
  }
  return h('details', {class: 'reasoning'}, h('summary', {}, 'Reasoning'), h('p', {class: 'message-text'}, text));
}

// A move with j or k under way: keys pressed meanwhile would ask again from the same place.
let moving = false;

/**
 * The keys of a thread: j and k open the next or previous conversation of the list it came from
 * (its filters, in the list's order), from the URL, so that they work before the thread has
 * loaded; r, n and 1–9 go to the review once it is there. app is {state, go}. Answers whether it
 * used the key.
 */
export function threadKey(key, app) {
  if (key === 'j' || key === 'k') {
    if (!moving) {
      moving = true;
      neighbour(app, key === 'j' ? 'next' : 'previous')
          .catch((error) => say(byId('status'), error.message, 'error'))
          .finally(() => {
            moving = false;
          });
    }
    return true;
  }
  return shown !== null && shown.view.current() && shown.review !== null && shown.review.key(key);
}

/**
 * The conversation beside this one in the filtered list: one page of size one whose cursor is
 * this conversation. The cursor needs only the conversation's place in the order, so this works
 * when it no longer matches the filters (it was just reviewed, and the queue holds unreviewed ones).
 */
async function neighbour({state, go}, direction) {
  const current = state.conversation;
  const filters = writeState(withState(state, {view: 'list', conversation: null, cursor: null}));
  if (trail.filters !== filters) {
    trail = {filters, ids: []};
  }
  if (direction === 'previous' && trail.ids.length > 0) {
    go(withState(state, {conversation: trail.ids.pop(), cursor: current, direction}));
    return;
  }
  const params = pageParams(withState(state, {limit: 1, cursor: current, direction}));
  const page = await getJson('/v2/bots/requests/public', params);
  if (new URLSearchParams(location.search).get('conversation') !== current) {
    return; // the person went elsewhere meanwhile
  }
  if (page.conversations.length === 0) {
    say(byId('status'), direction === 'next' ? 'That was the last conversation of the list.'
      : 'That was the first conversation of the list.');
    return;
  }
  if (direction === 'next') {
    trail.ids.push(current);
  }
  // Back to the list from there shows the page that holds it: the one starting after this
  // conversation (j), or ending before it (k).
  go(withState(state, {conversation: page.conversations[0].id, cursor: current, direction}));
}

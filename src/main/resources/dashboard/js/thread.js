// One conversation as a thread (GET /v2/bots/conversations/{id}): every question and answer in
// order, the knowledge each answer used, its reasoning folded away, and its feedback.

import {ApiError, getJson} from './api.js';
import {byId, clear, externalLink, h, httpUrl} from './dom.js';
import {categoryChips, escalationBadge, feedbackBadge, sourceName, timeElement} from './format.js';
import {withState} from './query.js';

export async function showThread(view) {
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
  byId('thread').append(summary(conversation), exchanges(conversation));
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

function exchanges(conversation) {
  return h('ol', {class: 'exchanges', 'aria-label': 'Exchanges, oldest first'},
      conversation.botRequests.map((request, index) => exchange(request, index)));
}

function exchange(request, index) {
  return h('li', {class: 'exchange card', 'data-request-id': request.id},
      h('div', {class: 'exchange-head'},
          h('span', {class: 'exchange-number'}, '#' + (index + 1)),
          timeElement(request.createdAt),
          request.escalation ? h('span', {class: 'badge warn'}, 'Escalated') : null,
          request.feedbackType ? feedbackBadge(request.feedbackType) : null,
          request.expectingUserFollowup ? h('span', {class: 'badge'}, 'Awaiting the user') : null,
          request.categories.length > 0 ? categoryChips(request.categories) : null),
      message('question', 'Question', request.question),
      message('answer', 'Answer', request.answer),
      knowledge(request.basedOn || []),
      reasoning(request.reasoning));
}

function message(kind, label, text) {
  return h('section', {class: 'message ' + kind, 'aria-label': label},
      h('h2', {class: 'message-label'}, label),
      h('p', {class: 'message-text'}, text));
}

function knowledge(sources) {
  if (sources.length === 0) {
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

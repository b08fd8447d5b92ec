// "Where the bot fails": GET /v2/bots/insights/failing-questions (SPEC §11) as a ranked table,
// the questions whose answers failed most often first. A click on a group opens the list of its
// conversations: those that needed attention and whose questions hold the group's wording, in
// the same window of days. The API groups near-duplicate wordings too; the list filter can only
// search for one text, so conversations that asked in other words are in the group's counts but
// not in that list (docs/decisions.md says why this was chosen over the five sample ids).

import {ApiError, getJson} from './api.js';
import {byId, clear, h} from './dom.js';
import {percent, plural} from './format.js';
import {filterParams, withState} from './query.js';

const GROUPS = 20;
const DEFAULT_DAYS = 30;
const MAX_QUESTION_FILTER = 500;

export async function showFailing(view) {
  const container = byId('failing');
  container.setAttribute('aria-busy', 'true');
  clear(container).append(h('p', {class: 'loading card'}, 'Finding the questions the bot fails on…'));
  // Without From, the window is the last 30 days, as the API's default; named here so that the
  // page can say which days and a click-through opens the same days.
  const filters = view.state.filters.from || view.state.filters.to ? view.state.filters
    : {...view.state.filters, from: utcDay(Date.now() - (DEFAULT_DAYS - 1) * 86_400_000)};
  const params = filterParams(filters);
  params.set('limit', String(GROUPS));
  let insight;
  try {
    insight = await getJson('/v2/bots/insights/failing-questions', params);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      if (view.current()) {
        container.removeAttribute('aria-busy');
        clear(container).append(h('p', {class: 'notice error', role: 'alert'}, 'This server cannot group failing'
          + ' questions (GET /v2/bots/insights/failing-questions answered 404).'));
      }
      return;
    }
    throw error;
  }
  if (!view.current()) {
    return;
  }
  container.removeAttribute('aria-busy');
  clear(container).append(
      h('p', {class: 'failing-summary', id: 'failing-summary'},
          plural(insight.failingRequests, 'bot answer', 'bot answers') + ' of ' + insight.requests.toLocaleString()
            + ' failed (' + percent(insight.failingRequests, insight.requests) + '): escalated, thumbs down, or citing'
            + ' nothing. ',
          h('span', {class: 'muted'}, window_(filters))),
      insight.groups.length === 0
        ? h('p', {class: 'empty card'}, 'No failing answers for these filters.')
        : h('div', {class: 'card list-card'}, table(insight.groups, filters, view)));
}

function table(groups, filters, view) {
  return h('table', {class: 'failing-groups'},
      h('caption', {class: 'visually-hidden'}, 'Questions the bot failed on, most failures first'),
      h('thead', {}, h('tr', {}, ['#', 'Question', 'Failed', 'Escalated', 'Thumbs down', 'Uncited', 'Conversations',
        'Top categories'].map((title) => h('th', {scope: 'col'}, title)))),
      h('tbody', {}, groups.map((group, index) => row(group, index, filters, view))));
}

function row(group, index, filters, view) {
  const href = view.href(groupList(group, filters, view.state));
  const link = h('a', {href, class: 'question-link group-link', title: group.question}, group.question);
  link.addEventListener('click', (event) => view.follow(event, href));
  const tr = h('tr', {'data-rank': String(index + 1)},
      h('td', {class: 'number rank'}, String(index + 1)),
      h('td', {class: 'question-cell', 'data-label': 'Question'}, link),
      h('td', {class: 'number', 'data-label': 'Failed'}, String(group.failing)),
      h('td', {class: 'number', 'data-label': 'Escalated'}, String(group.escalated)),
      h('td', {class: 'number', 'data-label': 'Thumbs down'}, String(group.thumbsDown)),
      h('td', {class: 'number', 'data-label': 'Uncited'}, String(group.uncited)),
      h('td', {class: 'number', 'data-label': 'Conversations'}, String(group.conversations)),
      h('td', {class: 'categories', 'data-label': 'Top categories'},
          group.topCategories.length === 0 ? h('span', {class: 'muted'}, '—')
            : h('ul', {class: 'chips', 'aria-label': 'Top categories'}, group.topCategories.map(categoryChip))));
  tr.addEventListener('click', (event) => {
    if (event.target.closest('a') === null && window.getSelection().isCollapsed) {
      link.click();
    }
  });
  return tr;
}

/** A top category: {category, conversations} as the stats give them (a bare name is taken too). */
function categoryChip(entry) {
  if (typeof entry === 'string') {
    return h('li', {}, entry);
  }
  return h('li', {title: plural(entry.conversations, 'conversation', 'conversations')}, entry.category);
}

/** The list of a group's conversations: the same filters and days, needing attention, asking its question. */
function groupList(group, filters, state) {
  return withState(state, {view: 'list', conversation: null, cursor: null, direction: 'next',
    filters: {...filters, attention: 'true', question: group.question.trim().slice(0, MAX_QUESTION_FILTER)}});
}

function window_(filters) {
  if (filters.from && filters.to) {
    return 'From ' + filters.from + ' to ' + filters.to + ' (UTC days).';
  }
  return filters.from ? 'Since ' + filters.from + ' (UTC).' : 'Until ' + filters.to + ' (UTC).';
}

function utcDay(epochMs) {
  return new Date(epochMs).toISOString().slice(0, 10);
}

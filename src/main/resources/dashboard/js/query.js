// The dashboard's state lives in the page's URL, so a view can be bookmarked, shared and reached
// with the back button. Filters keep the history API's parameter names, except the dates: the
// URL holds From/To as calendar days (YYYY-MM-DD) in UTC, which the API gets as the epoch
// milliseconds of those UTC midnights. UTC because the statistics count conversations by UTC day
// (SPEC §4): From/To and the days of Trends then mean the same days, and a shared link means the
// same conversations to a colleague in another time zone.

export const FILTER_NAMES = ['source', 'from', 'to', 'category', 'feedbackType', 'escalation', 'hasLinks',
  'attention', 'reviewStatus', 'label', 'userId', 'ticketId', 'question', 'answer', 'sourceId'];

/** The review queue: conversations with a failed answer that nobody has judged yet (SPEC §11). */
export const NEEDS_ATTENTION = {attention: 'true', reviewStatus: 'unreviewed'};

const VIEW_NAMES = ['trends', 'failing'];

const PAGE_SIZES = [25, 50, 100, 200];
export const DEFAULT_PAGE_SIZE = 25;

/** What the URL asks for: {view, conversation, filters, cursor, direction, limit}. */
export function readState(search) {
  const params = new URLSearchParams(search);
  const filters = {};
  for (const name of FILTER_NAMES) {
    const value = (params.get(name) || '').trim();
    if (value !== '') {
      filters[name] = value;
    }
  }
  const conversation = params.get('conversation') || null;
  const limit = Number(params.get('limit'));
  return {
    view: conversation ? 'conversation' : VIEW_NAMES.includes(params.get('view')) ? params.get('view') : 'list',
    conversation,
    filters,
    cursor: params.get('cursor') || null,
    direction: params.get('direction') === 'previous' ? 'previous' : 'next',
    limit: PAGE_SIZES.includes(limit) ? limit : DEFAULT_PAGE_SIZE,
  };
}

/** The URL query for a state; empty parts are left out so that URLs stay short and readable. */
export function writeState(state) {
  const params = new URLSearchParams();
  if (VIEW_NAMES.includes(state.view)) {
    params.set('view', state.view);
  }
  if (state.view === 'conversation' && state.conversation) {
    params.set('conversation', state.conversation);
  }
  for (const name of FILTER_NAMES) {
    if (state.filters[name]) {
      params.set(name, state.filters[name]);
    }
  }
  if (state.limit && state.limit !== DEFAULT_PAGE_SIZE) {
    params.set('limit', String(state.limit));
  }
  // A thread keeps the page of the list it was opened from, so that the way back returns there.
  if ((state.view === 'list' || state.view === 'conversation') && state.cursor) {
    params.set('cursor', state.cursor);
    if (state.direction === 'previous') {
      params.set('direction', 'previous');
    }
  }
  const text = params.toString();
  return text === '' ? '?' : '?' + text;
}

/** A state with other parts: withState(state, {view: 'trends'}). */
export function withState(state, changes) {
  return {...state, ...changes};
}

/** UTC midnight at the start of a YYYY-MM-DD day, as epoch ms; null for anything else. */
export function dayStart(day, plusDays = 0) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || '');
  if (!match) {
    return null;
  }
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays);
}

/** Why the filters cannot be sent as they are, or null. */
export function filterProblem(filters) {
  if (filters.from && dayStart(filters.from) === null) {
    return 'From is not a date.';
  }
  if (filters.to && dayStart(filters.to) === null) {
    return 'To is not a date.';
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    return 'From must be on or before To.';
  }
  return null;
}

/**
 * The history API's filter parameters (SPEC §2). To is a whole day, so the half-open range ends
 * at the midnight after it.
 */
export function filterParams(filters) {
  const params = new URLSearchParams();
  params.set('source', filters.source || 'all');
  if (filters.from) {
    params.set('startEpoch', String(dayStart(filters.from)));
  }
  if (filters.to) {
    params.set('endEpoch', String(dayStart(filters.to, 1)));
  }
  // The API refuses an empty element of a list ("billing, "): what a person typed is tidied here.
  for (const name of ['category', 'label']) {
    const parts = listOf(filters[name]);
    if (parts.length > 0) {
      params.set(name, parts.join(','));
    }
  }
  for (const name of ['feedbackType', 'escalation', 'hasLinks', 'attention', 'reviewStatus', 'userId', 'ticketId',
    'question', 'answer', 'sourceId']) {
    if (filters[name]) {
      params.set(name, filters[name]);
    }
  }
  return params;
}

/** The parameters of one page of the list: the filters, the page size and the cursor. */
export function pageParams(state) {
  const params = filterParams(state.filters);
  params.set('limit', String(state.limit));
  if (state.cursor) {
    params.set('cursor', state.cursor);
    params.set('direction', state.direction);
  }
  return params;
}

export function activeFilterCount(filters) {
  return FILTER_NAMES.filter((name) => filters[name]).length;
}

/** The entries of a comma-separated filter, trimmed, without empty ones. */
export function listOf(text) {
  return (text || '').split(',').map((part) => part.trim()).filter((part) => part);
}

/** Whether two states ask for the same conversations (their filters are equal). */
export function sameFilters(a, b) {
  return FILTER_NAMES.every((name) => (a[name] || '') === (b[name] || ''));
}

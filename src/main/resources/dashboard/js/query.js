// The dashboard's state lives in the page's URL, so a view can be bookmarked, shared and reached
// with the back button. Filters keep the history API's parameter names, except the dates: the
// URL holds From/To as calendar days (YYYY-MM-DD) read in the viewer's time zone, which the API
// gets as the epoch milliseconds of those local midnights.

export const FILTER_NAMES = ['source', 'from', 'to', 'category', 'feedbackType', 'escalation', 'hasLinks',
  'userId', 'ticketId', 'question', 'answer', 'sourceId'];

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
    view: conversation ? 'conversation' : params.get('view') === 'trends' ? 'trends' : 'list',
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
  if (state.view === 'trends') {
    params.set('view', 'trends');
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
  if (state.view === 'list' && state.cursor) {
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

/** Local midnight at the start of a YYYY-MM-DD day, as epoch ms; null for anything else. */
export function localDayStart(day, plusDays = 0) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || '');
  if (!match) {
    return null;
  }
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays).getTime();
}

/** Why the filters cannot be sent as they are, or null. */
export function filterProblem(filters) {
  if (filters.from && localDayStart(filters.from) === null) {
    return 'From is not a date.';
  }
  if (filters.to && localDayStart(filters.to) === null) {
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
    params.set('startEpoch', String(localDayStart(filters.from)));
  }
  if (filters.to) {
    params.set('endEpoch', String(localDayStart(filters.to, 1)));
  }
  // The API refuses an empty element of a list ("billing, "): what a person typed is tidied here.
  const categories = (filters.category || '').split(',').map((part) => part.trim()).filter((part) => part);
  if (categories.length > 0) {
    params.set('category', categories.join(','));
  }
  for (const name of ['feedbackType', 'escalation', 'hasLinks', 'userId', 'ticketId', 'question',
    'answer', 'sourceId']) {
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

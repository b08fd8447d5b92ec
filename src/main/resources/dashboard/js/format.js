// Words and times as a person reads them. Times are shown in the viewer's time zone and locale.

import {h} from './dom.js';

const SOURCE_NAMES = {
  widget: 'Widget', zendesk: 'Zendesk', intercom: 'Intercom', slack: 'Slack', discord: 'Discord',
  ui: 'Parley UI', api: 'API',
};

const dateTime = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});
const timeOnly = new Intl.DateTimeFormat(undefined, {timeStyle: 'short'});
const fullDateTime = new Intl.DateTimeFormat(undefined, {dateStyle: 'full', timeStyle: 'long'});

export function timeZoneName() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
}

export function sourceName(source) {
  return SOURCE_NAMES[source] || source;
}

/** A <time> element: short text, the full date and time as its tooltip and machine-readable value. */
export function timeElement(epochMs, short = false) {
  const date = new Date(epochMs);
  return h('time', {datetime: date.toISOString(), title: fullDateTime.format(date)},
      short ? timeOnly.format(date) : dateTime.format(date));
}

export function feedbackBadge(feedbackType) {
  if (feedbackType === 'thumbs_up') {
    return h('span', {class: 'badge good'}, 'Thumbs up');
  }
  if (feedbackType === 'thumbs_down') {
    return h('span', {class: 'badge bad'}, 'Thumbs down');
  }
  return h('span', {class: 'muted'}, 'None');
}

export function escalationBadge(escalation) {
  return escalation ? h('span', {class: 'badge warn'}, 'Escalated') : h('span', {class: 'muted'}, 'No');
}

export function categoryChips(categories, name = 'Categories') {
  if (!categories || categories.length === 0) {
    return h('span', {class: 'muted'}, '—');
  }
  return h('ul', {class: 'chips', 'aria-label': name}, categories.map((category) => h('li', {}, category)));
}

export function plural(count, one, many) {
  return count + ' ' + (count === 1 ? one : many);
}

export function percent(part, whole) {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 + '%' : '—';
}

/**
 * The text with every case-insensitive occurrence of needle in <mark>, as the API matches it
 * (SPEC §2: lower case on both sides). Text whose lower case changes its length is shown unmarked.
 */
export function highlighted(text, needle) {
  const lower = text.toLowerCase();
  const wanted = (needle || '').toLowerCase();
  if (wanted === '' || lower.length !== text.length) {
    return [text];
  }
  const parts = [];
  let from = 0;
  for (let at = lower.indexOf(wanted); at >= 0; at = lower.indexOf(wanted, at + wanted.length)) {
    parts.push(text.slice(from, at), h('mark', {}, text.slice(at, at + wanted.length)));
    from = at + wanted.length;
  }
  parts.push(text.slice(from));
  return parts.filter((part) => part !== '');
}

/** Whether text contains needle, in any case (the API's question and answer filters). */
export function containsText(text, needle) {
  return typeof text === 'string' && text.toLowerCase().includes(needle.toLowerCase());
}

const REVIEW_STATUSES = {reviewed: ['Reviewed', 'good'], needs_work: ['Needs work', 'bad']};

/** A review's status as a badge, or a muted "Not reviewed". */
export function reviewBadge(review) {
  const status = review && REVIEW_STATUSES[review.status];
  return status ? h('span', {class: 'badge review ' + status[1]}, status[0]) : h('span', {class: 'muted'}, 'Not reviewed');
}

/** Whether an answer holds an http(s) link in its text (SPEC §1: such an answer cites knowledge). */
export function linksIn(text) {
  return typeof text === 'string' ? text.match(/https?:\/\/[^\s<>"')\]]+/gi) || [] : [];
}

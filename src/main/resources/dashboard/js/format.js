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

export function categoryChips(categories) {
  if (!categories || categories.length === 0) {
    return h('span', {class: 'muted'}, '—');
  }
  return h('ul', {class: 'chips', 'aria-label': 'Categories'}, categories.map((category) => h('li', {}, category)));
}

export function plural(count, one, many) {
  return count + ' ' + (count === 1 ? one : many);
}

export function percent(part, whole) {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 + '%' : '—';
}

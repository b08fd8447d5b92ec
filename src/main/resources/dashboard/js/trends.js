// Trends for the current filters, from GET /v2/bots/stats (SPEC §4): totals, then charts of
// conversations per day, the escalation rate, thumbs up and down, and the top categories. Every
// chart has axes with units and a legend, so it reads without hovering; hovering a day shows its
// values in the legend, and a click on a day opens that day's conversations. The numbers behind
// the day charts are one click away in a table. Days are UTC days, as the statistics count them
// and as From/To read them.

import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import {ApiError, getJson} from './api.js';
import {byId, clear, h} from './dom.js';
import {percent} from './format.js';
import {filterParams, withState} from './query.js';

const DAY_SECONDS = 24 * 60 * 60;
const COLORS = {conversations: '#2563eb', escalated: '#b45309', up: '#15803d', down: '#dc2626',
  axis: '#475569', grid: '#e2e8f0'};
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 1e6];
// Ticks fall on whole days (the stats count by UTC day), a week or more apart on long ranges.
const DAY_STEPS = [1, 2, 7, 14, 28, 56, 91, 182, 364];
const TICK_SPACE = 64;
const dayLabel = new Intl.DateTimeFormat(undefined, {day: 'numeric', month: 'short', timeZone: 'UTC'});
const fullDayLabel = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeZone: 'UTC'});

let charts = [];

export async function showTrends(view) {
  const container = byId('trends');
  // The old numbers go at once: while new ones load, a person must not read them as the answer.
  dropCharts();
  container.setAttribute('aria-busy', 'true');
  clear(container).append(h('p', {class: 'loading card', id: 'trends-loading'}, 'Loading the trends…'));
  let stats;
  try {
    stats = await getJson('/v2/bots/stats', filterParams(view.state.filters));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      if (view.current()) {
        dropCharts();
        container.removeAttribute('aria-busy');
        clear(container).append(h('p', {class: 'notice error', role: 'alert'},
            'Trends are not available: this server has no statistics endpoint (GET /v2/bots/stats answered 404).'));
      }
      return;
    }
    throw error;
  }
  if (!view.current()) {
    return;
  }
  dropCharts();
  container.removeAttribute('aria-busy');
  clear(container).append(totals(stats));
  if (stats.conversations === 0 || stats.byDay.length === 0) {
    container.append(h('p', {class: 'empty card'}, 'No conversations match these filters, so there is nothing to chart.'));
    return;
  }
  const days = everyDay(stats.byDay);
  const grid = h('div', {class: 'chart-grid'});
  container.append(grid);
  const openDay = (day) => view.go(withState(view.state, {view: 'list', conversation: null, cursor: null,
    filters: {...view.state.filters, from: day, to: day}}));
  grid.append(
      chartCard('chart-conversations', 'Conversations per day', (target) => barChart(target, days), days, openDay),
      chartCard('chart-escalation', 'Escalation rate per day', (target) => escalationChart(target, days), days, openDay),
      chartCard('chart-feedback', 'Thumbs up and down per day', (target) => feedbackChart(target, days), days, openDay),
      topCategories(stats.topCategories, stats.conversations));
  container.append(h('p', {class: 'muted small'}, 'Point at a day for its numbers; click it for its conversations.'),
      numbersTable(days, view));
}

function totals(stats) {
  const ofConversations = (count) => percent(count, stats.conversations) + ' of conversations';
  const tiles = [
    ['conversations', 'Conversations', stats.conversations, null],
    ['botRequests', 'Bot answers', stats.botRequests, null],
    ['escalated', 'Escalated', stats.escalated, ofConversations(stats.escalated)],
    ['withLinks', 'Cite knowledge', stats.withLinks, ofConversations(stats.withLinks)],
    ['thumbsUp', 'Thumbs up', stats.feedback.thumbs_up, null],
    ['thumbsDown', 'Thumbs down', stats.feedback.thumbs_down, null],
    ['noFeedback', 'No feedback', stats.feedback.no_feedback, null],
  ];
  return h('dl', {class: 'totals', id: 'totals'}, tiles.map(([key, name, count, note]) =>
    h('div', {class: 'card total', 'data-total': key}, h('dt', {}, name),
        h('dd', {}, h('span', {class: 'count'}, count.toLocaleString()),
            note ? h('span', {class: 'muted small block'}, note) : null))));
}

/** The days of the stats from first to last, with the days that had no conversations as zeros. */
function everyDay(byDay) {
  const found = new Map(byDay.map((day) => [day.day, day]));
  const first = Date.parse(byDay[0].day + 'T00:00:00Z');
  const last = Date.parse(byDay[byDay.length - 1].day + 'T00:00:00Z');
  const days = [];
  for (let at = Math.min(first, last); at <= Math.max(first, last); at += DAY_SECONDS * 1000) {
    const day = new Date(at).toISOString().slice(0, 10);
    days.push(found.get(day) || {day, conversations: 0, escalated: 0, thumbsUp: 0, thumbsDown: 0});
  }
  return days;
}

function chartCard(id, title, draw, days, openDay) {
  const target = h('div', {class: 'chart', id, role: 'img', 'aria-label': title + ' (the numbers are in the table below)'});
  const card = h('figure', {class: 'card chart-card'}, h('figcaption', {}, title), target);
  // Drawn once the card is in the page, so that the chart can take the card's width.
  requestAnimationFrame(() => {
    if (target.isConnected) {
      const chart = draw(target);
      // A click on the plot opens the conversations of the day under the pointer.
      chart.over.addEventListener('click', () => {
        const index = chart.cursor.idx;
        if (index !== null && index !== undefined && days[index]) {
          openDay(days[index].day);
        }
      });
      charts.push(responsive(chart, target));
    }
  });
  return card;
}

/**
 * Ticks on whole UTC days, as many as fit: every day of a short range, every week or more of a
 * long one, and the one day of a single-day range (uPlot's own time ticks would make months of it).
 */
function daySplits(u, axisIndex, min, max) {
  const first = Math.ceil(min / DAY_SECONDS) * DAY_SECONDS;
  const count = Math.floor((max - first) / DAY_SECONDS) + 1;
  const fit = Math.max(1, Math.floor((u.bbox.width / devicePixelRatio) / TICK_SPACE));
  const step = DAY_STEPS.find((days) => Math.ceil(count / days) <= fit) || DAY_STEPS[DAY_STEPS.length - 1];
  const splits = [];
  for (let at = first; at <= max; at += step * DAY_SECONDS) {
    splits.push(at);
  }
  return splits;
}

function dayAxis() {
  return {stroke: COLORS.axis, grid: {stroke: COLORS.grid}, ticks: {stroke: COLORS.grid}, space: 56,
    splits: daySplits, values: (u, splits) => {
      const labels = splits.map((seconds) => dayLabel.format(new Date(seconds * 1000)));
      // The ticks are drawn on a canvas; the chart's element names them for tests and tools.
      u.root.parentElement.dataset.xTicks = labels.join(', ');
      return labels;
    }};
}

function countAxis(label) {
  return {label, stroke: COLORS.axis, grid: {stroke: COLORS.grid}, ticks: {stroke: COLORS.grid}, incrs: COUNT_STEPS,
    size: 52};
}

function baseOptions(target, series, axes, yRange) {
  return {
    width: target.clientWidth,
    height: 220,
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    // The legend shows the values of the day under the pointer, and the day itself.
    legend: {live: true},
    cursor: {drag: {x: false, y: false}, points: {show: false}},
    scales: {
      // Half a day either side of the first and last day, taken from the data itself: uPlot widens
      // a range of one value to years, which made a single day's axis read "May 1, Nov 1, May 1…".
      x: {time: true, range: (u) => {
        const days = u.data[0];
        return [days[0] - DAY_SECONDS / 2, days[days.length - 1] + DAY_SECONDS / 2];
      }},
      y: {range: yRange},
    },
    series: [{label: 'Day (UTC)', value: (u, seconds) => seconds === null || seconds === undefined ? '—'
      : fullDayLabel.format(new Date(seconds * 1000))}, ...series],
    axes: [dayAxis(), ...axes],
  };
}

const fromZero = (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.15))];

function xs(days) {
  return days.map((day) => Date.parse(day.day + 'T00:00:00Z') / 1000);
}

function barChart(target, days) {
  const series = [{label: 'Conversations', fill: COLORS.conversations + 'cc', stroke: COLORS.conversations,
    paths: uPlot.paths.bars({size: [0.7, 48]}), points: {show: false}}];
  return new uPlot(baseOptions(target, series, [countAxis('Conversations')], fromZero),
      [xs(days), days.map((day) => day.conversations)], target);
}

function escalationChart(target, days) {
  const rates = days.map((day) => day.conversations > 0 ? (100 * day.escalated) / day.conversations : null);
  const series = [{label: 'Escalated (% of conversations)', stroke: COLORS.escalated, width: 2,
    points: {show: true, size: 6, fill: COLORS.escalated}, spanGaps: false, value: (u, v) => v === null ? '—' : v.toFixed(1) + '%'}];
  const axis = {label: 'Escalation rate', stroke: COLORS.axis, grid: {stroke: COLORS.grid}, ticks: {stroke: COLORS.grid},
    size: 52, values: (u, splits) => splits.map((v) => v + '%')};
  const upToNiceMax = (u, min, max) => [0, Math.min(100, Math.max(10, Math.ceil((max || 0) / 10) * 10))];
  return new uPlot(baseOptions(target, series, [axis], upToNiceMax), [xs(days), rates], target);
}

function feedbackChart(target, days) {
  const series = [
    {label: 'Thumbs up', fill: COLORS.up + 'cc', stroke: COLORS.up, points: {show: false},
      paths: uPlot.paths.bars({size: [0.4, 24], align: -1})},
    {label: 'Thumbs down', fill: COLORS.down + 'cc', stroke: COLORS.down, points: {show: false},
      paths: uPlot.paths.bars({size: [0.4, 24], align: 1})},
  ];
  return new uPlot(baseOptions(target, series, [countAxis('Conversations')], fromZero),
      [xs(days), days.map((day) => day.thumbsUp), days.map((day) => day.thumbsDown)], target);
}

/** Top categories as labelled horizontal bars: the names are long, which a canvas axis would cut. */
function topCategories(categories, total) {
  const most = Math.max(1, ...categories.map((entry) => entry.conversations));
  const rows = categories.map((entry) => {
    const bar = h('span', {class: 'bar'});
    bar.style.width = (100 * entry.conversations / most).toFixed(1) + '%';
    return h('li', {},
        h('span', {class: 'bar-label', title: entry.category}, entry.category),
        h('span', {class: 'bar-track'}, bar),
        h('span', {class: 'bar-value'}, entry.conversations.toLocaleString(),
            h('span', {class: 'muted small'}, ' ' + percent(entry.conversations, total))));
  });
  return h('figure', {class: 'card chart-card'}, h('figcaption', {}, 'Top categories (conversations)'),
      categories.length === 0 ? h('p', {class: 'muted'}, 'No categories recorded.')
        : h('ol', {class: 'bars', id: 'chart-categories'}, rows));
}

function numbersTable(days, view) {
  const rows = [...days].reverse().map((day) => h('tr', {},
      h('th', {scope: 'row'}, dayLink(day.day, view)),
      h('td', {class: 'number'}, String(day.conversations)),
      h('td', {class: 'number'}, String(day.escalated)),
      h('td', {class: 'number'}, percent(day.escalated, day.conversations)),
      h('td', {class: 'number'}, String(day.thumbsUp)),
      h('td', {class: 'number'}, String(day.thumbsDown))));
  return h('details', {class: 'card numbers'}, h('summary', {}, 'The numbers, day by day'),
      h('table', {class: 'day-table'},
          h('thead', {}, h('tr', {}, ['Day (UTC)', 'Conversations', 'Escalated', 'Escalation rate', 'Thumbs up',
            'Thumbs down'].map((title) => h('th', {scope: 'col'}, title)))),
          h('tbody', {}, rows)));
}

/** A day of the table, as a link to that day's conversations. */
function dayLink(day, view) {
  const href = view.href(withState(view.state, {view: 'list', conversation: null, cursor: null,
    filters: {...view.state.filters, from: day, to: day}}));
  const link = h('a', {href}, day);
  link.addEventListener('click', (event) => view.follow(event, href));
  return link;
}

/** Keeps a chart as wide as its card when the window changes size. */
function responsive(chart, target) {
  const observer = new ResizeObserver(() => {
    if (target.clientWidth > 0 && target.clientWidth !== chart.width) {
      chart.setSize({width: target.clientWidth, height: chart.height});
    }
  });
  observer.observe(target);
  return {chart, observer};
}

function dropCharts() {
  for (const {chart, observer} of charts) {
    observer.disconnect();
    chart.destroy();
  }
  charts = [];
}

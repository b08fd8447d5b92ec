// The dashboard's controller: signs in and out, keeps the filter bar and the URL in step, shows
// the view the URL names (the list, one conversation, the trends, or where the bot fails), and
// hands the keys a reviewer presses to the view on screen.

import {ApiError, forgetKey, getJson, rememberKey, storedKey} from './api.js';
import {byId, clear, say} from './dom.js';
import {download} from './download.js';
import {timeZoneName} from './format.js';
import {showFailing} from './failing.js';
import {listKey, showList} from './list.js';
import {FILTER_NAMES, NEEDS_ATTENTION, activeFilterCount, filterProblem, readState, sameFilters, withState,
  writeState} from './query.js';
import {suggest} from './suggest.js';
import {showThread, threadKey} from './thread.js';
import {showTrends} from './trends.js';
import {categoriesInUse, forgetWorkspace, labelsInUse} from './workspace.js';

const VIEWS = {
  list: {section: 'list-view', title: 'Conversations', show: showList},
  conversation: {section: 'thread-view', title: 'Conversation', show: showThread},
  trends: {section: 'trends-view', title: 'Trends', show: showTrends},
  failing: {section: 'failing-view', title: 'Where the bot fails', show: showFailing},
};

const PHONE = '(max-width: 720px)';

// Each render gets a number; a slow answer for an older render is dropped rather than shown.
let renderNumber = 0;
// The filters of the last render: a download notice belongs to them and goes when they change.
let renderedFilters = null;

function start() {
  byId('time-zone').textContent = timeZoneName();
  byId('sign-in-form').addEventListener('submit', signIn);
  byId('sign-out').addEventListener('click', () => signOut(''));
  byId('filters').addEventListener('submit', applyFilters);
  byId('clear-filters').addEventListener('click', clearFilters);
  byId('page-size').addEventListener('change', changePageSize);
  for (const tab of [byId('tab-list'), byId('tab-trends'), byId('tab-failing'), byId('needs-attention')]) {
    tab.addEventListener('click', (event) => follow(event, tab.getAttribute('href')));
  }
  const back = byId('back-to-list');
  back.addEventListener('click', (event) => follow(event, back.getAttribute('href')));
  suggest(byId('f-category'), categoriesInUse);
  suggest(byId('f-label'), labelsInUse);
  document.addEventListener('keydown', pressKey);
  byId('keys-close').addEventListener('click', () => showKeys(false));
  for (const button of document.querySelectorAll('[data-format]')) {
    button.addEventListener('click', () =>
      download(button.dataset.format, readState(location.search).filters, byId('download-message')));
  }
  window.addEventListener('popstate', () => render(false));
  // On a phone the filters would fill the screen: start them folded there.
  if (window.matchMedia(PHONE).matches) {
    byId('filters-panel').open = false;
  }
  enter(false);
}

/** Shows the sign-in form, or the dashboard when this tab holds a key. */
function enter(moveFocus) {
  const signedIn = storedKey() !== null;
  byId('sign-in').hidden = signedIn;
  byId('workspace').hidden = !signedIn;
  byId('tabs').hidden = !signedIn;
  byId('sign-out').hidden = !signedIn;
  if (signedIn) {
    render(moveFocus);
  } else {
    document.title = 'Sign in · Parley';
    byId('key').focus();
  }
}

async function signIn(event) {
  event.preventDefault();
  const input = byId('key');
  const message = byId('sign-in-message');
  const key = input.value.trim();
  if (key === '') {
    say(message, 'Paste your API key first.', 'error');
    input.focus();
    return;
  }
  const button = event.submitter || byId('sign-in-form').querySelector('button[type=submit]');
  button.disabled = true;
  say(message, '');
  try {
    // The smallest read there is: it tells a good key from a bad one, and a read key from a write-only one.
    await getJson('/v2/bots/requests/public', new URLSearchParams({source: 'all', limit: '1'}), key);
    rememberKey(key);
    input.value = '';
    enter(true);
  } catch (error) {
    say(message, signInProblem(error), 'error');
    input.select();
  } finally {
    button.disabled = false;
  }
}

function signInProblem(error) {
  if (error.status === 401) {
    return 'That key was not accepted. Check that you pasted all of it (Parley keys start with "parley_")'
      + ' and that it has not been revoked.';
  }
  if (error.status === 403) {
    return 'That key cannot read history: it lacks the "read" scope. Ask for a key with the read scope.';
  }
  return 'Could not sign in: ' + error.message;
}

/** Forgets the key and everything shown with it; the URL stays, so signing in again returns here. */
function signOut(reason) {
  forgetKey();
  forgetWorkspace();
  renderNumber++;
  renderedFilters = null;
  showKeys(false);
  for (const id of ['list', 'thread', 'trends', 'failing']) {
    clear(byId(id));
  }
  say(byId('status'), '');
  say(byId('download-message'), '');
  say(byId('sign-in-message'), reason, reason ? 'error' : 'info');
  enter(false);
}

function applyFilters(event) {
  event.preventDefault();
  const state = readState(location.search);
  // On a phone the open panel covers the results: it folds, and the page shows what was found.
  const phone = window.matchMedia(PHONE).matches;
  if (phone) {
    byId('filters-panel').open = false;
  }
  go(withState(state, {
    filters: readFilterForm(),
    view: state.view === 'trends' || state.view === 'failing' ? state.view : 'list',
    conversation: null,
    cursor: null,
    direction: 'next',
  }));
  if (phone) {
    const section = byId(VIEWS[readState(location.search).view].section);
    section.querySelector('h1').focus();
    section.scrollIntoView({block: 'start'});
  }
}

function clearFilters() {
  byId('filters').reset();
  for (const name of FILTER_NAMES) {
    byId('filters').elements[name].value = '';
  }
  byId('filters').requestSubmit();
}

function changePageSize(event) {
  const state = readState(location.search);
  go(withState(state, {limit: Number(event.target.value), cursor: null, direction: 'next'}));
}

function readFilterForm() {
  const form = byId('filters');
  const filters = {};
  for (const name of FILTER_NAMES) {
    const value = form.elements[name].value.trim();
    if (value !== '') {
      filters[name] = value;
    }
  }
  return filters;
}

function fillFilterForm(filters) {
  const form = byId('filters');
  for (const name of FILTER_NAMES) {
    const field = form.elements[name];
    const value = filters[name] || '';
    // A shared URL may hold a value the menu does not list (source=zendesk,slack): show it as it is.
    if (field.tagName === 'SELECT' && ![...field.options].some((option) => option.value === value)) {
      field.append(new Option(value, value));
    }
    field.value = value;
  }
  const active = activeFilterCount(filters);
  byId('filters-active').textContent = active === 0 ? '' : '· ' + active + ' active';
}

/** Goes to another state of the dashboard, as a new entry in the browser's history. */
function go(state) {
  history.pushState(null, '', writeState(state));
  render(true);
}

/** A click on a link inside the dashboard: handled here, unless the person asked for a new tab. */
function follow(event, href) {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  event.preventDefault();
  history.pushState(null, '', href);
  render(true);
}

async function render(moveFocus) {
  if (storedKey() === null) {
    return;
  }
  const number = ++renderNumber;
  const state = readState(location.search);
  const view = VIEWS[state.view];
  fillFilterForm(state.filters);
  byId('page-size').value = String(state.limit);
  showSection(state, view);
  say(byId('status'), '');
  if (renderedFilters !== null && !sameFilters(renderedFilters, state.filters)) {
    say(byId('download-message'), '');
  }
  renderedFilters = state.filters;
  const problem = filterProblem(state.filters);
  if (problem !== null && state.view !== 'conversation') {
    say(byId('status'), problem, 'error');
    return;
  }
  try {
    await view.show({
      state,
      current: () => number === renderNumber,
      go,
      follow,
      href: writeState,
    });
    if (moveFocus && number === renderNumber) {
      focusView(state);
    }
  } catch (error) {
    if (number === renderNumber) {
      showProblem(error);
    }
  }
}

function showSection(state, view) {
  for (const each of Object.values(VIEWS)) {
    byId(each.section).hidden = each !== view;
  }
  // A thread is one conversation: the filters stay in its URL for the way back, out of sight.
  byId('filters').hidden = state.view === 'conversation';
  document.title = view.title + ' · Parley';
  const tabs = {list: byId('tab-list'), trends: byId('tab-trends'), failing: byId('tab-failing')};
  for (const [name, tab] of Object.entries(tabs)) {
    tab.setAttribute('href', writeState(withState(state, {view: name, conversation: null, cursor: null})));
    setCurrent(tab, name === state.view || (name === 'list' && state.view === 'conversation'));
  }
  const queue = byId('needs-attention');
  queue.setAttribute('href', writeState(withState(state, {view: 'list', conversation: null, cursor: null,
    filters: {...NEEDS_ATTENTION}})));
  queue.setAttribute('aria-pressed', String(sameFilters(state.filters, NEEDS_ATTENTION)));
}

function setCurrent(tab, current) {
  if (current) {
    tab.setAttribute('aria-current', 'page');
  } else {
    tab.removeAttribute('aria-current');
  }
}

/** After a person moved to another view, the keyboard continues there, not on the link they left. */
function focusView(state) {
  const active = document.activeElement;
  if (state.view === 'conversation') {
    // a search's matched exchange may have been scrolled to already: focusing the title must not undo that
    byId('thread-title')?.focus({preventScroll: byId('thread').querySelector('.exchange.matched') !== null});
  } else if (active === null || active === document.body || active.disabled || active.closest('[hidden]')) {
    byId(VIEWS[state.view].section).querySelector('h1').focus();
  }
}

/**
 * The reviewer's keys (the ? list shows them). They act only when no field has the keyboard, so
 * typing a note or a filter never triggers them, and never with Ctrl, Alt or Cmd, which belong
 * to the browser.
 */
function pressKey(event) {
  if (event.key === 'Escape' && !byId('keys-help').hidden) {
    showKeys(false);
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || storedKey() === null
      || typing(event.target)) {
    return;
  }
  const state = readState(location.search);
  let used = false;
  if (event.key === '?') {
    showKeys(byId('keys-help').hidden);
    used = true;
  } else if (state.view === 'list') {
    used = listKey(event.key);
  } else if (state.view === 'conversation') {
    if (event.key === 'u') {
      byId('back-to-list').click();
      used = true;
    } else {
      used = threadKey(event.key, {state, go});
    }
  }
  if (used) {
    event.preventDefault();
  }
}

function typing(target) {
  return target instanceof Element
    && (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null);
}

function showKeys(show) {
  const help = byId('keys-help');
  help.hidden = !show;
  if (show) {
    byId('keys-close').focus();
  }
}

function showProblem(error) {
  if (error instanceof ApiError && error.status === 401) {
    signOut('Your key is no longer accepted. Sign in again with a valid key.');
    return;
  }
  say(byId('status'), error instanceof ApiError ? error.message : 'Something went wrong: ' + error, 'error');
}

start();

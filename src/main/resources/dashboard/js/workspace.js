// What the signed-in key may do, from GET /v2/workspace (SPEC §10), and the words the workspace
// already uses: its categories and review labels, offered as suggestions while a person types.
// Both are asked once per sign-in and forgotten at sign-out.

import {ApiError, getJson} from './api.js';

let scopes = null;
let vocabulary = null;
// Seen on the pages of this tab; they fill in what the statistics do not list (SPEC §4 has ten categories).
const seen = {categories: new Map(), labels: new Map()};

/**
 * The key's scopes as a Set, or null when they cannot be known: a server without GET /v2/workspace
 * answers 404, and then the review controls stay hidden rather than fail on the first save.
 */
export function keyScopes() {
  if (scopes === null) {
    scopes = getJson('/v2/workspace').then((workspace) => new Set(workspace.scopes || []), (error) => {
      if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
        return null;
      }
      scopes = null;
      throw error;
    });
  }
  return scopes;
}

/** Review is for keys with the review or the write scope (SPEC §11). */
export async function canReview() {
  const granted = await keyScopes();
  return granted !== null && (granted.has('review') || granted.has('write'));
}

/** Notes the categories and labels of conversations that were shown. */
export function noteConversations(conversations) {
  for (const conversation of conversations) {
    for (const category of conversation.categories || []) {
      count(seen.categories, category, 1);
    }
    for (const label of (conversation.review && conversation.review.labels) || []) {
      count(seen.labels, label, 1);
    }
  }
}

/** Notes the labels a person just gave, so that they are offered next. */
export function noteLabels(labels) {
  for (const label of labels) {
    count(seen.labels, label, 1);
  }
}

/** The workspace's categories in use, most used first. */
export async function categoriesInUse() {
  const known = await loadVocabulary();
  return ranked(known.categories, seen.categories);
}

/** The workspace's review labels in use, most used first. */
export async function labelsInUse() {
  const known = await loadVocabulary();
  return ranked(known.labels, seen.labels);
}

/**
 * The words of the whole workspace, asked once: the top categories of its statistics, and the
 * labels of its most recent reviews (the newest 100 reviewed and 100 needing work: no route lists
 * the labels in use, so these pages are the nearest the API offers). A server without statistics
 * or reviews leaves what this tab has seen.
 */
function loadVocabulary() {
  if (vocabulary === null) {
    const all = (more) => new URLSearchParams({source: 'all', ...more});
    const nothing = () => null;
    vocabulary = Promise.all([
      getJson('/v2/bots/stats', all({})).catch(nothing),
      getJson('/v2/bots/requests/public', all({reviewStatus: 'needs_work', limit: '100'})).catch(nothing),
      getJson('/v2/bots/requests/public', all({reviewStatus: 'reviewed', limit: '100'})).catch(nothing),
    ]).then(([stats, needsWork, reviewed]) => ({
      categories: new Map(((stats && stats.topCategories) || []).map((entry) => [entry.category, entry.conversations])),
      // A server that counts labels in its statistics (topLabels, shaped as topCategories) is believed first.
      labels: stats && stats.topLabels ? new Map(stats.topLabels.map((entry) => [entry.label, entry.conversations]))
        : labelsOf([needsWork, reviewed]),
    }));
  }
  return vocabulary;
}

/** How many conversations of these pages carry each label. */
function labelsOf(pages) {
  const labels = new Map();
  for (const page of pages) {
    for (const conversation of (page && page.conversations) || []) {
      for (const label of (conversation.review && conversation.review.labels) || []) {
        count(labels, label, 1);
      }
    }
  }
  return labels;
}

export function forgetWorkspace() {
  scopes = null;
  vocabulary = null;
  seen.categories.clear();
  seen.labels.clear();
}

function count(map, word, by) {
  map.set(word, (map.get(word) || 0) + by);
}

/**
 * The workspace's words, most used first, then those seen here in the order they were first seen:
 * a word keeps its place while a person works, so "3" stays the same label from one thread to the next.
 */
function ranked(known, local) {
  const words = [...known.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([word]) => word);
  const listed = new Set(words);
  return [...words, ...[...local.keys()].filter((word) => !listed.has(word))];
}

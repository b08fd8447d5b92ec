// The review of one conversation (SPEC §11): its status (reviewed, needs work), labels and a note,
// saved with PUT /v2/bots/conversations/{id}/review. Shown only to a key that may review. Status
// and labels save as soon as they change, so a reviewer on the keyboard needs no Save: r, n and
// 1–9 (the labels in use, numbered) do it; the note saves with its button or Ctrl+Enter.

import {ApiError, putJson} from './api.js';
import {clear, h, say} from './dom.js';
import {timeElement} from './format.js';
import {suggest} from './suggest.js';
import {canReview, labelsInUse, noteLabels} from './workspace.js';

const MAX_LABELS = 10;
const MAX_LABEL_LENGTH = 50;
const MAX_NOTE_BYTES = 4096;
const STATUSES = [['reviewed', 'Reviewed', 'r'], ['needs_work', 'Needs work', 'n'], [null, 'Not reviewed', null]];

/** Fills the panel when the key can review; answers the panel's key handler, or null. */
export async function showReview(panel, conversation, view) {
  let allowed;
  try {
    allowed = await canReview();
  } catch (error) {
    // Only a key that is no longer accepted stops the thread; otherwise it shows without the review.
    if (error instanceof ApiError && error.status === 401) {
      throw error;
    }
    allowed = false;
  }
  if (!allowed || !view.current()) {
    return null;
  }
  const offered = (await labelsInUse()).slice(0, 9);
  if (!view.current()) {
    return null;
  }
  const review = new ReviewPanel(panel, conversation, offered);
  panel.hidden = false;
  return review;
}

class ReviewPanel {
  constructor(panel, conversation, offered) {
    this.conversation = conversation;
    const saved = conversation.review || {status: null, labels: [], note: null};
    this.current = {status: saved.status, labels: [...saved.labels], note: saved.note};
    // The numbered labels: those in use, then this conversation's own, so that each can be taken off by its key.
    this.offered = [...offered, ...saved.labels.filter((label) => !offered.includes(label))].slice(0, 9);
    this.statusButtons = STATUSES.map(([status, name, key]) => {
      const button = h('button', {type: 'button', class: 'button status-button', 'data-status': status || 'none',
        'aria-pressed': 'false', 'aria-keyshortcuts': key}, name, key ? h('kbd', {}, key) : null);
      button.addEventListener('click', () => this.save({status}));
      return button;
    });
    this.chips = h('ul', {class: 'chips label-chips', 'aria-label': 'Labels'});
    this.numbered = h('div', {class: 'offered-labels', role: 'group', 'aria-label': 'Labels in use'});
    this.labelInput = h('input', {id: 'review-label', type: 'text', maxlength: String(MAX_LABEL_LENGTH),
      placeholder: 'Add a label'});
    this.labelInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && this.labelInput.getAttribute('aria-activedescendant') === null) {
        event.preventDefault();
        this.addTyped();
      }
    });
    this.note = h('textarea', {id: 'review-note', rows: '3', maxlength: String(MAX_NOTE_BYTES),
      placeholder: 'What was wrong, what should the bot have said…'});
    this.note.value = saved.note || '';
    this.note.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.saveNote();
      }
    });
    const saveNote = h('button', {type: 'button', class: 'button'}, 'Save note');
    saveNote.addEventListener('click', () => this.saveNote());
    this.message = h('p', {id: 'review-message', class: 'review-message small', role: 'status', 'aria-live': 'polite'});
    clear(panel).append(
        h('div', {class: 'review-head'},
            h('h2', {id: 'review-title'}, 'Review'),
            h('span', {class: 'muted small'}, 'Keys: ', h('kbd', {}, 'r'), ' reviewed · ', h('kbd', {}, 'n'),
                ' needs work · ', h('kbd', {}, '1'), '–', h('kbd', {}, '9'), ' labels · ', h('kbd', {}, 'j'), '/',
                h('kbd', {}, 'k'), ' next/previous · ', h('kbd', {}, '?'), ' all keys')),
        h('div', {class: 'status-buttons', role: 'group', 'aria-label': 'Review status'}, this.statusButtons),
        h('div', {class: 'review-labels'},
            h('label', {for: 'review-label'}, 'Labels'),
            this.chips,
            h('div', {class: 'field label-field'}, this.labelInput),
            this.numbered),
        h('div', {class: 'field'}, h('label', {for: 'review-note'}, 'Note'), this.note,
            h('div', {class: 'review-actions'}, saveNote)),
        this.message);
    // Once the field is in the page: the suggestions go right after it.
    suggest(this.labelInput, labelsInUse, {several: false, chosen: () => this.addTyped()});
    this.draw(saved.reviewedAt ? saved : null);
  }

  /** r, n and 1–9; answers whether it used the key. */
  key(key) {
    if (key === 'r' || key === 'n') {
      this.save({status: key === 'r' ? 'reviewed' : 'needs_work'});
      return true;
    }
    if (/^[1-9]$/.test(key)) {
      const label = this.offered[Number(key) - 1];
      if (label !== undefined) {
        this.toggle(label);
      }
      return label !== undefined;
    }
    return false;
  }

  toggle(label) {
    const labels = this.current.labels.includes(label)
      ? this.current.labels.filter((each) => each !== label) : [...this.current.labels, label];
    this.save({labels});
  }

  addTyped() {
    const label = this.labelInput.value.trim();
    if (label === '') {
      return;
    }
    if (this.current.labels.includes(label)) {
      this.labelInput.value = '';
      return;
    }
    this.save({labels: [...this.current.labels, label]}).then((done) => {
      if (done) {
        this.labelInput.value = '';
      }
    });
  }

  saveNote() {
    const note = this.note.value.trim();
    this.save({note: note === '' ? null : note});
  }

  /** Saves the review with these changes; answers whether the server took it. */
  async save(changes) {
    const wanted = {...this.current, ...changes};
    const problem = this.problem(wanted);
    if (problem) {
      say(this.message, problem, 'error');
      return false;
    }
    say(this.message, 'Saving…');
    try {
      const saved = await putJson('/v2/bots/conversations/' + encodeURIComponent(this.conversation.id) + '/review',
          wanted);
      this.current = {status: saved.status, labels: [...saved.labels], note: saved.note};
      this.conversation.review = saved;
      noteLabels(saved.labels);
      this.draw(saved);
      return true;
    } catch (error) {
      say(this.message, error instanceof ApiError && error.status === 403
        ? 'This key cannot review: it needs the review or the write scope.' : 'Not saved: ' + error.message, 'error');
      return false;
    }
  }

  problem(review) {
    if (review.labels.length > MAX_LABELS) {
      return 'A review has at most ' + MAX_LABELS + ' labels: take one off first.';
    }
    if (review.labels.some((label) => label.length > MAX_LABEL_LENGTH)) {
      return 'A label has at most ' + MAX_LABEL_LENGTH + ' characters.';
    }
    if (review.note !== null && new TextEncoder().encode(review.note).length > MAX_NOTE_BYTES) {
      return 'The note is longer than 4 KiB.';
    }
    return null;
  }

  draw(saved) {
    for (const button of this.statusButtons) {
      const status = button.dataset.status === 'none' ? null : button.dataset.status;
      button.setAttribute('aria-pressed', String(status === this.current.status));
    }
    clear(this.chips).append(...this.current.labels.map((label) => {
      const remove = h('button', {type: 'button', class: 'chip-remove', 'aria-label': 'Remove label ' + label}, '×');
      remove.addEventListener('click', () => this.toggle(label));
      return h('li', {'data-label': label}, label, remove);
    }));
    clear(this.numbered).append(this.offered.length === 0 ? null : h('span', {class: 'muted small'}, 'In use:'),
        ...this.offered.map((label, index) => {
          const button = h('button', {type: 'button', class: 'button offered-label',
            'aria-pressed': String(this.current.labels.includes(label)), 'aria-keyshortcuts': String(index + 1)},
          h('kbd', {}, String(index + 1)), label);
          button.addEventListener('click', () => this.toggle(label));
          return button;
        }));
    if (saved === null) {
      say(this.message, '');
    } else {
      say(this.message, '', 'success');
      this.message.hidden = false;
      this.message.append('Saved · by key ', h('code', {}, String(saved.reviewedBy)), ', ', timeElement(saved.reviewedAt));
    }
  }
}

// Suggestions under a text field of comma-separated words (categories, labels): the words in use
// that contain what is being typed, in any case, so that "Billing" offers "billing", which is
// what the exact filter needs. A listbox in the page, not a <datalist>, so it looks and behaves
// the same in every browser and can be read by a screen reader and by tests.

import {clear, h} from './dom.js';

let nextId = 0;

/**
 * Attaches suggestions to an input. words() answers the words to offer (a Promise of strings).
 * With several=true the field holds a comma-separated list and the last entry is completed;
 * chosen(value) is told after a pick.
 */
export function suggest(input, words, {several = true, chosen = () => {}} = {}) {
  const listId = 'suggestions-' + (++nextId);
  const list = h('ul', {id: listId, class: 'suggestions', role: 'listbox', hidden: true,
    'aria-label': 'Suggestions'});
  input.after(list);
  input.parentElement.classList.add('has-suggestions');
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', listId);
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('autocomplete', 'off');
  let active = -1;
  let shown = [];

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  const pick = (word) => {
    if (several) {
      const parts = input.value.split(',');
      parts[parts.length - 1] = word;
      input.value = parts.map((part) => part.trim()).filter((part) => part).join(', ');
    } else {
      input.value = word;
    }
    close();
    input.focus();
    chosen(input.value);
  };

  const mark = (index) => {
    active = index;
    [...list.children].forEach((option, at) => option.setAttribute('aria-selected', String(at === index)));
    if (index >= 0) {
      input.setAttribute('aria-activedescendant', list.children[index].id);
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  };

  const open = async () => {
    const parts = input.value.split(',');
    const typed = several ? parts[parts.length - 1].trim().toLowerCase() : input.value.trim().toLowerCase();
    const taken = new Set(several ? parts.slice(0, -1).map((part) => part.trim()) : []);
    const offered = (await words()).filter((word) => !taken.has(word) && word.toLowerCase().includes(typed));
    // Words that begin with what was typed come first; then the others, in the order given.
    shown = [...offered.filter((word) => word.toLowerCase().startsWith(typed)),
      ...offered.filter((word) => !word.toLowerCase().startsWith(typed))].slice(0, 8);
    if (document.activeElement !== input || shown.length === 0
        || (shown.length === 1 && shown[0] === (several ? parts[parts.length - 1].trim() : input.value.trim()))) {
      close();
      return;
    }
    clear(list).append(...shown.map((word, index) => {
      const option = h('li', {id: listId + '-' + index, role: 'option', 'aria-selected': 'false'}, word);
      // mousedown, not click: the field must keep its focus, or the list would close first.
      option.addEventListener('mousedown', (event) => {
        event.preventDefault();
        pick(word);
      });
      return option;
    }));
    active = -1;
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };

  input.addEventListener('input', open);
  input.addEventListener('focus', open);
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (event) => {
    if (list.hidden) {
      if (event.key === 'ArrowDown') {
        open();
      }
      return;
    }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      // -1 is the field itself: the highlight goes round the words and back to what was typed.
      const next = active + (event.key === 'ArrowDown' ? 1 : -1);
      mark(next >= shown.length ? -1 : next < -1 ? shown.length - 1 : next);
    } else if (event.key === 'Enter' && active >= 0) {
      // Enter takes the highlighted word; without one it does what Enter does (apply the filters).
      event.preventDefault();
      pick(shown[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
  return {close};
}

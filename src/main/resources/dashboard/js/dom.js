// Builds the page from data without ever parsing HTML: text goes in as text nodes, so a
// question that holds "<script>" is shown as those characters and never runs. No script of the
// dashboard hands a string to the browser's HTML parser (a test checks their sources for it).

/** The url when it is an absolute http(s) url, else null: no javascript:, data: or relative links out. */
export function httpUrl(text) {
  if (typeof text !== 'string') {
    return null;
  }
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * An element: h('p', {class: 'note'}, 'text', child, ...). Strings become text nodes. Only the
 * attributes below can be set, and an href only to a page of the dashboard itself ("?…"), so no
 * caller can put a script url or an event handler on the page by accident.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    setAttribute(element, name, value);
  }
  append(element, children);
  return element;
}

const PLAIN_ATTRIBUTES = new Set(['id', 'class', 'title', 'role', 'type', 'datetime', 'colspan', 'scope',
  'tabindex', 'hidden', 'open', 'lang', 'dir', 'for', 'placeholder', 'maxlength', 'rows', 'autocomplete']);

function setAttribute(element, name, value) {
  if (name === 'href') {
    if (!String(value).startsWith('?')) {
      throw new Error('h() makes links inside the dashboard only; use externalLink() for ' + value);
    }
    element.setAttribute('href', value);
  } else if (name.startsWith('aria-') || name.startsWith('data-') || PLAIN_ATTRIBUTES.has(name)) {
    element.setAttribute(name, value === true ? '' : String(value));
  } else {
    throw new Error('h() does not set attribute ' + name);
  }
}

/** Appends strings as text and elements as they are; skips null, so callers can write cond && el. */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** A link that opens outside the dashboard when the url is http(s); otherwise the label as plain text. */
export function externalLink(url, label, className) {
  const href = httpUrl(url);
  if (href === null) {
    return h('span', {class: className}, label);
  }
  const link = h('a', {class: className}, label);
  link.href = href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  return link;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

export function byId(id) {
  return document.getElementById(id);
}

/** Shows a message in a notice element, or hides it when the message is empty. */
export function say(element, message, kind = 'info') {
  element.textContent = message || '';
  element.hidden = !message;
  element.classList.toggle('error', kind === 'error');
  element.classList.toggle('success', kind === 'success');
}

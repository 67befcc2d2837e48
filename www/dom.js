// Text into the page: what every view builds its markup with. It imports nothing.
// Everything that came from outside (TikTok, the address, the user) is written as text, never as HTML.

export const $ = (id) => document.getElementById(id);

// Text from outside (advertiser names, error messages, warnings) may hold bidirectional controls
// (U+202A–U+202E, U+2066–U+2069), which reorder what is shown after them: a name that reads as
// another, a message that hides its end. Each is shown as U+FFFD, visibly, never applied.
export const plain = (text) => String(text).replace(/[\u202A-\u202E\u2066-\u2069]/g, '\uFFFD');

/** An element with attributes (`true`: present, empty) and children (text is text). */
export function h(tag, attributes, ...children) {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) e.setAttribute(name, value === true ? '' : value);
  e.append(...children);
  return e;
}

/** The short form of `h`: an element with a class and outside text, neutralised by `plain`. */
export const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = plain(text);
  return e;
};

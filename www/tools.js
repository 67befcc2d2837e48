// The result view's permissions by name, the check against what OWOX Data Marts reads, and "Use
// it in your tools". app.js loads this module with import() once a result is on its way, so the
// scope table and the formatters cost the first load nothing. Text only: nothing here is HTML.
import { owoxCheck, permissionNames } from './scopes.js';
import { TOOLS } from './exports.js';

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

/** The granted permissions by name (unknown ids as their numbers) and the OWOX check. */
export function showPermissions(scope) {
  const list = $('permissions');
  const check = $('owox-check');
  if (!scope) {
    list.replaceChildren();
    check.className = 'help';
    check.textContent = 'TikTok names a token’s permissions only when it issues it, so they cannot be shown for a token checked here.';
    return;
  }
  list.replaceChildren(...permissionNames(scope).map((p) => {
    const item = el('li', '', p.name === null ? 'Permission ' + p.id + ' (not in this page’s list)' : p.name);
    if (p.parentName) item.append(el('span', 'help', ' — ' + p.parentName));
    item.dataset.scopeId = p.id;
    return item;
  }));
  if (!list.children.length) list.append(el('li', '', 'None: TikTok named no permissions for this token.'));
  const result = owoxCheck(scope);
  check.replaceChildren();
  if (result.ok) {
    check.className = 'notice good';
    check.textContent = 'Ready for OWOX Data Marts: this token has every permission its TikTok Ads source reads.';
    return;
  }
  check.className = 'notice warn';
  check.append(el('p', '', 'Missing for OWOX Data Marts: ' + result.missing.map((m) => m.path.join(' › ')).join(', ') + '.'),
    el('p', '', result.advice));
}

const MASK = '••••••••';
// Stand-ins formatted in place of the token and the secret, then shown as dots: letters and
// digits only, so every format writes them unchanged, and the screen never holds the real ones.
const TOKEN_MARK = 'X7tokenX';
const SECRET_MARK = 'X7secretX';

const HELP = {
  owox: 'The four fields of the TikTok Ads source in OWOX Data Marts, one a line.',
  airbyte: 'The configuration of Airbyte’s TikTok Marketing source (source-tiktok-marketing). The start date is 30 days back: change it for more history.',
  ingestr: 'The source URI for ingestr, e.g. ingestr ingest --source-uri "…".',
  dotenv: 'Variables for your own scripts, quoted so that every value is read back exactly.',
};

/**
 * The tab list: one tab per tool, each panel with the text masked and a "Copy for <tool>" button.
 * `credentials()` gives { accessToken, appId, secret, advertiserIds } at copy time (null once the
 * flow is gone); `copy(text, what)` puts text on the clipboard and says so; `announce(text)` says.
 */
export function showTools(credentials, { copy, announce }) {
  const root = $('tools-tabs');
  const shown = credentials();
  const tablist = el('div', 'tabs');
  tablist.setAttribute('role', 'tablist');
  tablist.setAttribute('aria-labelledby', 'tools-heading');
  const tabs = [];
  const panels = [];
  for (const tool of TOOLS) {
    const tab = el('button', '', tool.name);
    tab.type = 'button';
    tab.id = 'tab-' + tool.id;
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-controls', 'panel-' + tool.id);
    const panel = el('div', 'tabpanel');
    panel.id = 'panel-' + tool.id;
    panel.setAttribute('role', 'tabpanel');
    panel.setAttribute('aria-labelledby', tab.id);
    panel.tabIndex = 0;
    let preview;
    try {
      preview = tool.format({ ...shown, accessToken: TOKEN_MARK, secret: shown.secret ? SECRET_MARK : shown.secret })
        .split(TOKEN_MARK).join(MASK).split(SECRET_MARK).join(MASK);
    } catch (e) {
      preview = e.message;
    }
    const button = el('button', 'copy', 'Copy for ' + tool.name);
    button.type = 'button';
    button.id = 'copy-' + tool.id;
    button.addEventListener('click', () => {
      const now = credentials();
      if (!now) return;
      let text;
      try {
        text = tool.format(now);
      } catch (e) {
        announce('Could not write the text for ' + tool.name + ': ' + e.message);
        return;
      }
      copy(text, 'Settings for ' + tool.name);
    });
    const pre = el('pre', 'box');
    pre.append(el('code', '', preview));
    panel.append(el('p', 'help', HELP[tool.id] || ''), pre, el('p', '', ''));
    panel.lastChild.append(button);
    tab.addEventListener('click', () => select(tab));
    tabs.push(tab);
    panels.push(panel);
    tablist.append(tab);
  }
  // Arrow keys move between tabs (and select: each panel is cheap), Home and End to the ends.
  tablist.addEventListener('keydown', (event) => {
    const at = tabs.indexOf(document.activeElement);
    if (at < 0) return;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const tab = tabs[(to + tabs.length) % tabs.length];
    select(tab);
    tab.focus();
  });
  function select(chosen) {
    tabs.forEach((tab, i) => {
      const on = tab === chosen;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1; // one tab stop for the list: the selected tab
      panels[i].hidden = !on;
    });
  }
  select(tabs[0]);
  root.replaceChildren(tablist, ...panels);
  if (!shown.secret) {
    root.append(el('p', 'help', 'The app secret is no longer in this page’s memory, so the texts above leave it out: add it yourself.'));
  }
}

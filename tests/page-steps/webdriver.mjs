// The page-steps adapter for a selenium-webdriver `WebDriver` (tests/engines/): the same methods
// as the Playwright adapter (playwright.mjs), which steps.mjs is written against. WebDriver does
// not wait for elements by itself, so `waitFor` polls (`until`), and what every engine does the
// same way only in script (choosing an option, reading textContent) runs in the page (`inPage`).
// Nothing here imports selenium-webdriver: the driver comes from tests/engines/driver.mjs.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` (async) until it returns a truthy value; fails with `what` after `timeout` ms. */
export async function until(fn, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (${last.message})` : ''}`);
    await sleep(50);
  }
}

/** Runs `fn(...args)` in the page and returns its (JSON-able) result. */
export function inPage(driver, fn, ...args) {
  return driver.executeScript(`return (${fn}).apply(null, arguments)`, ...args);
}

/** The adapter for `driver`; `css` is a CSS selector, the first match is the element. */
export function webdriverPage(driver) {
  return {
    driver,
    /** Navigates and waits for the load. */
    goto: (url) => driver.get(url),
    async click(css) {
      await (await driver.findElement({ css })).click();
    },
    /** Types into the field as a user does (cleared first). */
    async fill(css, value) {
      const el = await driver.findElement({ css });
      await el.clear();
      await el.sendKeys(value);
    },
    /** Chooses the <option> of that value (input and change events, as a user's choice). */
    select: (css, value) => inPage(driver, (s, v) => {
      const el = document.querySelector(s);
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, css, value),
    /** Fires a DOM event (bubbling) of `type` at the element. */
    dispatch: (css, type) => inPage(driver, (s, t) => {
      document.querySelector(s).dispatchEvent(new Event(t, { bubbles: true }));
    }, css, type),
    /** The element's textContent ('' when absent): the same in every engine, unlike innerText. */
    text: (css) => inPage(driver, (s) => document.querySelector(s)?.textContent ?? '', css),
    /** Waits until an element matching `css` is shown (not inside [hidden], taking up space) and,
     * given `text`, its text contains it. */
    waitFor: (css, text) => until(() => inPage(driver, (s, t) => [...document.querySelectorAll(s)].some((el) =>
      !el.closest('[hidden]') && el.getClientRects().length > 0 && (t === null || el.textContent.includes(t))),
    css, text ?? null), text === undefined ? `${css} to be shown` : `${css} to show "${text}"`),
    /** Waits until the address bar's URL satisfies `test(href)`; returns that URL. */
    waitForUrl: (test) => until(async () => {
      const url = await driver.getCurrentUrl();
      return test(url) && url;
    }, 'the address'),
  };
}

// The page-steps adapter for a Playwright `Page` (tests/e2e/): the few things a step does on the
// page, each by Playwright's own call, so its waiting (for the element, for it to be visible and
// enabled) is Playwright's. The methods are the same as those of the WebDriver adapter
// (webdriver.mjs); steps.mjs is written against them. Nothing here imports playwright-core.

/** The adapter for `page`; `css` is a CSS selector, the first match is the element. */
export function playwrightPage(page) {
  return {
    /** Navigates and waits for the load. */
    goto: (url) => page.goto(url),
    click: (css) => page.click(css),
    /** Replaces the field's value as typing would (one input event). */
    fill: (css, value) => page.fill(css, value),
    /** Chooses the <option> of that value (input and change events, as a user's choice). */
    select: (css, value) => page.selectOption(css, value),
    /** Fires a DOM event (bubbling) of `type` at the element. */
    dispatch: (css, type) => page.locator(css).dispatchEvent(type),
    /** The element's textContent. */
    text: (css) => page.textContent(css),
    /** Waits until the element is shown and, given `text`, its text contains it. */
    waitFor: (css, text) => page.locator(css, text === undefined ? {} : { hasText: text }).waitFor(),
    /** Waits until the address bar's URL satisfies `test(href)`; returns that URL. */
    async waitForUrl(test) {
      await page.waitForURL((url) => test(url.href), { waitUntil: 'commit' });
      return page.url();
    },
  };
}

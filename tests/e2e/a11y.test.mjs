// Accessibility held by a test: axe-core (the npm package's axe.min.js, evaluated in the page;
// no browser of its own) checks every view against WCAG 2.1 A and AA and axe's best practices, in
// light and dark, at desktop and phone width: the start view, the token check, the callback view
// with its hand-back, the form refusing an empty secret, TikTok's denial, TikTok refusing the
// code, the CORS fallback, and the result view with each tool's tab. Any violation fails, printed
// with its rule, the elements and axe's summary of what to fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  DEVICES, browser, heading, open, reach, useSite,
} from './helpers.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const VIEWS = ['start', 'check', 'callback', 'invalid', 'denied', 'error', 'cors', 'result'];

useSite();

/**
 * axe's violations on `page` (within `include`, a selector, when given), one line each per
 * element: "rule-id (impact) target: summary". Evaluated over the DevTools protocol, which the
 * page's Content-Security-Policy does not govern (an injected <script> would be refused).
 */
async function violations(page, include = null) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const found = await page.evaluate(async ({ tags, include }) => {
    const result = await window.axe.run(include ? { include: [include] } : document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, { tags: TAGS, include });
  return found.flatMap((v) => v.nodes.map((n) =>
    `${v.id} (${v.impact}: ${v.help}) ${n.target}: ${n.summary.replace(/\s*\n\s*/g, ' ')}`));
}

for (const scheme of ['light', 'dark']) {
  for (const device of Object.keys(DEVICES)) {
    test(`axe: every view, ${scheme}, ${device}: no WCAG 2.1 A/AA or best-practice violation`, async () => {
      const { context, page: first, errors } = await open(browser, { colorScheme: scheme, viewport: DEVICES[device] });
      await first.close();
      const found = [];
      for (const view of VIEWS) {
        // A tab of its own per view, as the screenshots take them: one view's state never meets another's code.
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(e));
        await reach(page, view, `a11y-${scheme}-${device}`);
        assert.ok(await heading(page).isVisible(), `${view} has a visible heading`);
        // The hand-back arrives with result.js, which loads while the callback view waits.
        if (view === 'callback') await page.locator('#hand-back').waitFor();
        if (view === 'cors') assert.ok(await page.isVisible('#fallback'), 'the error view shows the terminal fallback');
        // The toast fades in: wait until it is fully shown, so colours are measured as they end up.
        await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {}))));
        found.push(...(await violations(page)).map((line) => `${view}: ${line}`));
        if (view === 'result') {
          // Each tool's tab, selected in turn (the first is selected already): its panel checked.
          const tabs = page.locator('#tools [role="tab"]');
          const count = await tabs.count();
          assert.ok(count >= 2, `the result view has the tools' tabs (${count})`);
          for (let i = 0; i < count; i++) {
            const tab = tabs.nth(i);
            await tab.click();
            assert.equal(await tab.getAttribute('aria-selected'), 'true');
            const name = await tab.textContent();
            found.push(...(await violations(page, '#tools')).map((line) => `result, ${name} tab: ${line}`));
          }
        }
        await page.close();
      }
      assert.deepEqual(errors, []);
      await context.close();
      assert.equal(found.length, 0, `${found.length} accessibility violation(s), ${scheme} ${device}:\n${found.join('\n')}`);
    });
  }
}

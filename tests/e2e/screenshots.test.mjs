// Screenshots of each view (light and dark, desktop and phone), and a check that no view
// scrolls sideways at phone width. They go to target/screenshots/ on every run; with
// UPDATE_SCREENSHOTS=1 they replace the ones in docs/screenshots/ that the README shows.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEVICES, ROOT, browser, heading, open, reach, useSite,
} from './helpers.mjs';

const OUT = join(ROOT, process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'target/screenshots');

// Which views each combination captures: every view in light desktop and dark phone, plus the
// start and result views in the other two, to keep the set small.
const SHOTS = [
  ['light', 'desktop', ['start', 'callback', 'result', 'error', 'cors', 'check']],
  ['dark', 'phone', ['start', 'callback', 'result', 'error', 'cors', 'check']],
  ['dark', 'desktop', ['start', 'result']],
  ['light', 'phone', ['start', 'result']],
];

useSite();
before(() => mkdirSync(OUT, { recursive: true }));

for (const [scheme, device, views] of SHOTS) {
  test(`screenshots: ${scheme} ${device} (${views.join(', ')})`, async () => {
    const { context, page: first, errors } = await open(browser, { colorScheme: scheme, viewport: DEVICES[device] });
    await first.close();
    for (const view of views) {
      // A tab of its own per view: a state issued by one view's tab must not meet another's code.
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e));
      await reach(page, view, `shots-${scheme}-${device}`);
      assert.ok(await heading(page).isVisible(), `${view} has a visible heading`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${view} scrolls sideways by ${overflow}px at ${device} width`);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(background === 'rgb(16, 18, 23)', scheme === 'dark', `${view} follows prefers-color-scheme`);
      // A fixed toast would float mid-page in a full-page shot taller than the window.
      await page.evaluate(() => {
        if (document.documentElement.scrollHeight > innerHeight) document.getElementById('status').textContent = '';
      });
      await page.screenshot({ path: join(OUT, `${view}-${scheme}-${device}.png`), fullPage: true });
      await page.close();
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

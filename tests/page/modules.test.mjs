// The page's modules: app.js is the composition root (nothing imports it), the modules the views
// share import no view, and no import, static or import(), closes a circle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

const www = new URL('../../www/', import.meta.url);
const VIEWS = ['app.js', 'result.js', 'check.js'];

/** Each module of www/ with the modules of www/ it imports (statically or with import()). */
function imports() {
  const graph = new Map();
  for (const f of readdirSync(www).filter((f) => f.endsWith('.js'))) {
    const source = readFileSync(new URL(f, www), 'utf8');
    const named = [...source.matchAll(/(?:^import[^;]*?from\s*|\bimport\()\s*'\.\/([\w-]+\.js)'/gm)].map((m) => m[1]);
    graph.set(f, [...new Set(named)]);
  }
  return graph;
}

/** The first circle found, as a list of modules, or null. */
function circle(graph) {
  const state = new Map(); // module → 'open' while on the path, 'done' after
  const path = [];
  const visit = (f) => {
    if (state.get(f) === 'done') return null;
    if (state.get(f) === 'open') return [...path.slice(path.indexOf(f)), f];
    state.set(f, 'open');
    path.push(f);
    for (const to of graph.get(f) ?? []) {
      const found = visit(to);
      if (found) return found;
    }
    path.pop();
    state.set(f, 'done');
    return null;
  };
  for (const f of graph.keys()) {
    const found = visit(f);
    if (found) return found;
  }
  return null;
}

test('the import reader sees static imports, import() and circles', () => {
  assert.deepEqual(circle(new Map([['a.js', ['b.js']], ['b.js', ['a.js']]])), ['a.js', 'b.js', 'a.js']);
  assert.equal(circle(new Map([['a.js', ['b.js']], ['b.js', []]])), null);
  const graph = imports();
  assert.ok(graph.get('app.js').includes('result.js'), 'app.js loads result.js with import()');
  assert.ok(graph.get('app.js').includes('flow.js'), 'app.js imports flow.js');
});

test('no module of the page imports another in a circle', () => {
  assert.equal(circle(imports()), null);
});

test('nothing imports app.js, and the shared modules import no view', () => {
  const graph = imports();
  for (const [f, to] of graph) {
    assert.ok(!to.includes('app.js'), f + ' imports app.js');
    if (!VIEWS.includes(f)) for (const view of VIEWS) assert.ok(!to.includes(view), f + ' imports the view ' + view);
  }
});

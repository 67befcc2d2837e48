// The plain-JS reference page with only the package's WebAssembly added, in the lightest way: the
// glue bundled into the one script, the .wasm preloaded, and `parseRedirect` doing the parse. Its
// load time is the least a page that parses with this wasm can pay; the bench bundles this file
// with esbuild into reference-wasm/ref.js.
import init, { parseRedirect } from '../../pkg/tiktok_ads_auth.js';

await init({ module_or_path: new URL('../pkg/tiktok_ads_auth_bg.wasm', import.meta.url) });
window.benchParse = (href) => parseRedirect(href).authCode;
// Bundled into this file by esbuild (no extra request), and run only now.
await import('../reference/ref.js');

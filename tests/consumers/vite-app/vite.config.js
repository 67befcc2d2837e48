// Plain object, no `defineConfig` import, so the config loads wherever Vite itself comes from.
export default {
  // Vite's dev server pre-bundles dependencies into node_modules/.vite/deps/, which moves the
  // package's `new URL('./tiktok_ads_auth_bg.wasm', import.meta.url)` away from the .wasm.
  // Production builds do not need this.
  optimizeDeps: { exclude: ['tiktok-ads-auth'] },
};

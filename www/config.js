// Deployment configuration: edit this file to point the page at your own relay or portal.
// Loaded before the Content-Security-Policy is set, so every origin listed here may be contacted.
window.tiktokAdsAuthConfig = {
  // Portal that shows the consent screen; null means TikTok's own (https://business-api.tiktok.com).
  authBase: null,
  // Selectable API bases, by name. "production" and "sandbox" get friendly labels. (The two are
  // the crate's PRODUCTION_API_BASE and SANDBOX_API_BASE, held equal by tests/facts.rs.)
  environments: {
    production: 'https://business-api.tiktok.com/open_api/v1.3',
    sandbox: 'https://sandbox-ads.tiktok.com/open_api/v1.3'
  },
  defaultEnvironment: 'production',
  // Further origins the page may call, e.g. a relay you always use.
  extraConnectOrigins: [],
  // Per-request time limit in milliseconds; null uses the library default (30 s).
  timeoutMs: null,
  // Set by the demo build: { appId, note }.
  demo: null
};

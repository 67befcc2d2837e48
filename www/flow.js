// The one authorization this tab is working on. Memory only: never written to storage, a URL,
// history, the console or an attribute. Start over replaces it whole (`replaceFlow`), so nothing of
// the old one survives; work that outlives its flow (a late answer) compares `flow` with the one it
// started in and drops what it got. It imports nothing.

function newFlow() {
  return {
    view: null, // the view on screen
    pendingState: null, // the state in the authorization link on the start view, until it is used
    authCode: null, // the code from the redirect, until it is exchanged
    returnedState: null,
    arrivedAt: 0,
    handed: false, // the code came through a hand-back link (app.js, "two people, one code")
    timer: 0, // the countdown of the code's validity
    exchanging: false, // a request with the single-use code is out
    appId: null,
    secret: null,
    apiBase: null,
    grant: null,
    names: new Map(), // advertiser id → name, from getAdvertisers
    revoking: false,
    checking: false, // a token check is out
  };
}

/** The flow now: a live binding, which `replaceFlow` points at a new one. */
export let flow = newFlow();

/** Start over: the old flow, its code, secret and token, is dropped whole. */
export function replaceFlow() {
  flow = newFlow();
}

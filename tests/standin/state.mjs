// The stand-in's state: issued codes, tokens and request records, kept per scenario, and the
// names and ids it accepts.

import { randomBytes } from 'node:crypto';

// A long-running demo must not grow without bound.
export const MAX_RECORDS_PER_SCENARIO = 5000;
export const SCENARIO_RE = /^[A-Za-z0-9_-]{1,64}$/;
export const APP_ID_RE = /^\d{1,32}$/;

export class ScenarioStore {
  #scenarios = new Map();

  get(name) {
    let scenario = this.#scenarios.get(name);
    if (!scenario) {
      scenario = { records: [], codes: new Map(), tokens: new Map() };
      this.#scenarios.set(name, scenario);
    }
    return scenario;
  }

  record(name, entry) {
    const { records } = this.get(name);
    records.push(entry);
    if (records.length > MAX_RECORDS_PER_SCENARIO) records.shift();
  }

  records(name) {
    return [...(this.#scenarios.get(name)?.records ?? [])];
  }

  reset(name) {
    if (name === undefined || name === null) this.#scenarios.clear();
    else this.#scenarios.delete(name);
  }
}

export function issueAuthCode(store, scenario, appId, ageMs = 0) {
  if (!SCENARIO_RE.test(scenario)) throw new TypeError(`invalid scenario name: ${scenario}`);
  if (!APP_ID_RE.test(appId)) throw new TypeError('appId must be a string of decimal digits');
  const authCode = randomHex(20);
  store.get(scenario).codes.set(authCode, { appId, issuedAt: Date.now() - ageMs, used: false });
  return authCode;
}

export function randomHex(bytes) {
  return randomBytes(bytes).toString('hex');
}

/** Shaped like TikTok's: a UTC timestamp followed by random hex. */
export function requestId() {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return stamp + randomHex(9).toUpperCase();
}

// A local stand-in for TikTok's authorization portal and the three OAuth endpoints of the
// Marketing API (v1.3), for tests, benchmarks and the localhost demo. No dependencies.
//
// Behaviour is chosen by the URL, not by server state, so concurrent tests never interfere:
//   /portal/auth, /open_api/v1.3/oauth2/...                 scenario "default", behaviour "ok"
//   /s/{scenario}/{behaviour}/portal/auth, .../open_api/...  any scenario, any behaviour
// Issued codes, tokens and request records are kept per scenario. See README.md for the list.

import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioStore, issueAuthCode } from './state.mjs';
import { API_PREFIX } from './api.mjs';
import { handleStandin } from './routing.mjs';
import { handleStatic, staticSite } from './static.mjs';

// ------------------------------------------------------------------------------ public API

/**
 * Starts the stand-in (and, with `staticDir`, a second listener serving that directory).
 * @returns {Promise<{url: string, staticUrl?: string, records: Function, reset: Function,
 *   issueCode: Function, close: () => Promise<void>}>}
 */
export async function startStandin({
  host = '127.0.0.1',
  port = 0,
  staticDir,
  staticPort = 0,
  staticMount = '/',
  log,
} = {}) {
  const bindHost = host.replace(/^\[(.*)\]$/, '$1');
  if (!isLoopbackHost(bindHost)) {
    throw new Error(`refusing to listen on ${host}: the stand-in binds to loopback addresses only`);
  }
  const ctx = { store: new ScenarioStore(), pending: new Set(), log, staticRecords: [] };
  const listeners = [];
  const closeAll = () => Promise.all(listeners.map((l) => l.close()));

  try {
    const api = await listen((req, res) => handleStandin(ctx, req, res), bindHost, port);
    listeners.push(api);
    const standin = {
      url: originOf(host, api.port),
      records: (scenario = 'default') => ctx.store.records(scenario),
      // What the static listener was asked for: method and request target (path and query) as sent.
      staticRecords: () => [...ctx.staticRecords],
      reset: (scenario) => ctx.store.reset(scenario),
      issueCode: ({ appId, scenario = 'default', ageMs = 0 } = {}) =>
        issueAuthCode(ctx.store, String(scenario), String(appId), ageMs),
      close: once(async () => {
        for (const cancel of [...ctx.pending]) cancel();
        await closeAll();
      }),
    };
    if (staticDir !== undefined) {
      const site = await staticSite(staticDir, staticMount);
      const files = await listen((req, res) => handleStatic(ctx, site, req, res), bindHost, staticPort);
      listeners.push(files);
      standin.staticUrl = originOf(host, files.port) + site.mount;
    }
    return standin;
  } catch (error) {
    await closeAll();
    throw error;
  }
}

// ------------------------------------------------------------------------------ listeners

/** Listens and tracks sockets, so close() can end keep-alive and hanging connections at once. */
function listen(handler, host, port) {
  const server = createServer(handler);
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}

function isLoopbackHost(host) {
  if (host === 'localhost' || host === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

function originOf(host, port) {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return `http://${bare.includes(':') ? `[${bare}]` : bare}:${port}`;
}

function once(fn) {
  let result;
  return () => (result ??= fn());
}

// ------------------------------------------------------------------------------ CLI

function parseArgs(argv) {
  const names = {
    '--host': 'host',
    '--port': 'port',
    '--static': 'staticDir',
    '--static-port': 'staticPort',
    '--static-mount': 'staticMount',
  };
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    if (flag === '--help' || flag === '-h') return { help: true };
    if (!Object.hasOwn(names, flag)) throw new Error(`unknown argument: ${argv[i]}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    options[names[flag]] = value;
  }
  for (const key of ['port', 'staticPort']) {
    if (key in options) {
      if (!/^\d{1,5}$/.test(options[key]) || Number(options[key]) > 65535) {
        throw new Error(`invalid port: ${options[key]}`);
      }
      options[key] = Number(options[key]);
    }
  }
  return options;
}

const USAGE = `usage: node tests/standin/server.mjs [--host 127.0.0.1] [--port N]
                                   [--static DIR] [--static-port N] [--static-mount /sub/]`;

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Scripts often read just the first line (`| head -1`); a closed pipe must not stop the server.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  let standin;
  try {
    standin = await startStandin({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  const ready = { standin: standin.url, ...(standin.staticUrl ? { static: standin.staticUrl } : {}) };
  const bases = `auth base ${standin.url}, API base ${standin.url}${API_PREFIX}`;
  const human = standin.staticUrl
    ? `Open ${standin.staticUrl} in a browser (${bases}); ` +
      'any App ID of digits and any non-empty secret work. Ctrl-C stops.'
    : `TikTok stand-in ready: ${bases}. Ctrl-C stops.`;
  process.stdout.write(`${JSON.stringify(ready)}\n${human}\n`);
  const stop = () => standin.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}

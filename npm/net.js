// The package's network: the wasm decides, this module carries. For each call the wasm reads the
// options once and prepares the request (`prepare`); this module sends it, once, with the
// caller's `fetch` (default the global one), under one timer and the caller's `signal`, reads at
// most 1 MiB of the answer, and hands the status and text to the wasm (`read`), which returns the
// result or the TikTokAuthError. Every error, its message and its hint come from the wasm (`fail`
// builds those of calls that got no answer to read). Shared by index.js, node.js and the page.
//
// Nothing of the call is shared between calls, so whatever a `fetch` does (throws, rejects with
// anything, never answers, calls back twice) ends that call only, and only once.
// MAX_ANSWER_BYTES, the most of an answer that is read (past it the stream is cancelled:
// `invalid_response`), is the crate's.
import { MAX_ANSWER_BYTES } from './facts.js';

// What `fail` is told (src/js.rs).
const NETWORK = 0;
const TIMEOUT = 1;
const ABORTED = 2;
const TOO_LARGE = 3;
const BAD_SIGNAL = 4;

/**
 * `exchangeAuthCode`, `getAdvertisers` and `revokeToken`, carried for the wasm's `prepare`, `read`
 * and `fail` (the glue's `__prepare`, `__read`, `__fail`).
 */
export function network(prepare, read, fail) {
  const call = (which) => (options) => send(which, options);
  return { exchangeAuthCode: call(0), getAdvertisers: call(1), revokeToken: call(2) };

  function send(which, options) {
    return new Promise((resolve, reject) => {
      // The options, read once and checked (a bad one rejects: nothing is sent).
      let request;
      try {
        request = prepare(which, options);
      } catch (error) {
        reject(error);
        return;
      }
      const { host, timeoutMs, signal } = request;
      const failure = (why) => fail(why, host, timeoutMs);

      const controller = new AbortController();
      let done = false;
      let timer;
      const onAbort = () => end(false, failure(ABORTED));
      // Settles the call once; what comes after (a late answer, a second callback) does nothing.
      function end(ok, value) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (signal != null) {
          try {
            signal.removeEventListener('abort', onAbort);
          } catch {
            // A signal that cannot be unlistened to only calls `end` again, which does nothing.
          }
        }
        // The request, if still on its way, is stopped (its fetch sees an aborted signal).
        if (!ok) controller.abort();
        (ok ? resolve : reject)(value);
      }

      if (signal != null) {
        try {
          if (signal.aborted) {
            end(false, failure(ABORTED));
            return;
          }
          signal.addEventListener('abort', onAbort);
        } catch {
          end(false, failure(BAD_SIGNAL));
          return;
        }
        // A signal may call back from addEventListener itself: then nothing is started.
        if (done) return;
      }
      // One timer: a fetch that ignores its signal and never answers ends here all the same.
      timer = setTimeout(() => end(false, failure(TIMEOUT)), timeoutMs);
      (async () => {
        let got;
        try {
          got = await carry(request, controller.signal);
        } catch {
          return end(false, failure(NETWORK));
        }
        if (done) return;
        if (got === TOO_LARGE) return end(false, failure(TOO_LARGE));
        try {
          end(true, read(which, request, got.status, got.text));
        } catch (error) {
          end(false, error);
        }
      })();
    });
  }
}

/**
 * Sends the request once and reads its answer: `{ status, text }`, or TOO_LARGE. Rejects (with
 * nothing worth keeping) when there is no answer to read.
 */
async function carry(request, signal) {
  // The wasm's init, complete but for the signal (src/js.rs says why each field is set).
  const init = request.init;
  init.signal = signal;
  const send = request.fetch ?? globalThis.fetch;
  const response = await send(request.url, init);
  const status = response.status;
  if (!(typeof status === 'number' && status >= 0 && status < 1000 && status % 1 === 0)) throw 0;
  const body = response.body;
  const Sink = globalThis.WritableStream;
  if (body === null) return answer(status, '');
  if (body === undefined || !Sink) {
    // Not a stream (a test double's answer), or nothing to pipe it to: its text, which the wasm
    // measures before copying.
    const text = await response.text();
    if (typeof text !== 'string') throw 0;
    return answer(status, text);
  }
  // Piped, not read with a reader: this module resolves no Promise of its own with a chunk (which an
  // `Object.prototype.then` of the page would be handed). The runtime's own fetch and streams may
  // still resolve theirs with chunks (Node's do): a page that pollutes prototypes can see those,
  // as it could replace `fetch` (SECURITY.md, out of scope).
  const chunks = [];
  let size = 0;
  // The sink and the pipe's options have no prototype: `start`, `type`, `highWaterMark` or
  // `preventCancel` on a polluted Object.prototype are never read. The call's signal stops the
  // pipe when the call ends first (a timeout, the caller's abort), cancelling the rest unread, even
  // where a caller's fetch ignores that signal.
  const sink = Object.create(null);
  sink.write = (chunk) => {
    size += chunk.length;
    // Past the cap the pipe stops, and cancels the rest of the answer unread.
    if (size > MAX_ANSWER_BYTES) throw TOO_LARGE;
    chunks.push(chunk);
  };
  const pipe = Object.create(null);
  pipe.signal = signal;
  try {
    await body.pipeTo(new Sink(sink), pipe);
  } catch (error) {
    if (error === TOO_LARGE) return TOO_LARGE;
    throw error;
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return answer(status, new TextDecoder().decode(all));
}

/** The status and text, on an object without a prototype: resolving with it reads no `then`. */
function answer(status, text) {
  const got = Object.create(null);
  got.status = status;
  got.text = text;
  return got;
}

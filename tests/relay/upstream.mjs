// A fake TikTok for the relay's tests: records every request it gets (method, path with query,
// headers, body) and answers what the test sets, on 127.0.0.1. No CORS headers, like TikTok.
import { createServer } from 'node:http';

/**
 * `answer(req, body)` returns { status, type, body, headers } or the string "hang" / "drop".
 * Resolves with { answer (settable), url, requests, close }.
 */
export async function startUpstream(answer = () => ({ status: 200, body: '{"code":0,"message":"OK","data":{}}' })) {
  const requests = [];
  // `answer` can be replaced later (`upstream.answer = …`).
  const handle = { answer };
  const sockets = new Set();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method, url: req.url, headers: { ...req.headers }, body });
      const a = handle.answer(req, body);
      if (a === 'hang') return;
      if (a === 'drop') return req.socket.destroy();
      res.writeHead(a.status ?? 200, { 'Content-Type': a.type ?? 'application/json; charset=utf-8', ...(a.headers ?? {}) });
      res.end(a.body ?? '');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    get answer() { return handle.answer; },
    set answer(f) { handle.answer = f; },
    url: `http://127.0.0.1:${server.address().port}/open_api/v1.3/`,
    port: server.address().port,
    requests,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };
}

// Requests for the route handlers as the gallery's own pages send them: from the gallery's
// origin, with JSON bodies typed as JSON (lib/http/same-origin.ts refuses anything else for
// cookie-authenticated changes).
export function pageRequest(url: string, method = "GET", body?: unknown): Request {
  const headers: Record<string, string> = { origin: new URL(url).origin };
  if (body === undefined) return new Request(url, { method, headers });
  return new Request(url, {
    method,
    body: JSON.stringify(body),
    headers: { ...headers, "content-type": "application/json" },
  });
}

/** A body that is not JSON at all, sent as the pages would send JSON. */
export function malformedJsonRequest(url: string, method: string, text: string): Request {
  return new Request(url, {
    method,
    body: text,
    headers: { origin: new URL(url).origin, "content-type": "application/json" },
  });
}

import { vi } from 'vitest';

export type Route = (url: URL, init: RequestInit | undefined) => Response | Promise<Response> | undefined;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
}

/** Replaces fetch with a router over the given handlers (first one that answers wins); unknown URLs answer 404. */
export function mockFetch(...routes: Route[]) {
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    for (const route of routes) {
      const response = await route(url, init);
      if (response) {
        return response;
      }
    }
    return json({ title: 'Not Found', status: 404, detail: `No mock for ${url.pathname}` }, 404);
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

/** The URLs fetch was called with (path + query). */
export function calls(fn: ReturnType<typeof mockFetch>): string[] {
  return fn.mock.calls.map(([input]) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    return url.pathname + url.search;
  });
}

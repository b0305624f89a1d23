// One small HTTP client for the host's API: same-origin cookies, JSON, and RFC 9457 problem details turned into
// an ApiError whose message is the problem's `detail` (what the server said), never a guess. Paths are the app's
// ('/api/…'); the page's path base (lib/base.ts) is put in front of them here.

import { appUrl } from './base';

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | null;
  readonly errors: Record<string, string[]>;

  constructor(status: number, title: string, detail: string | null, errors: Record<string, string[]> = {}) {
    super(detail ?? title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
  }
}

interface ProblemDetails {
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

async function toError(response: Response): Promise<ApiError> {
  let problem: ProblemDetails = {};
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      problem = (await response.json()) as ProblemDetails;
    } catch {
      // A body that is not JSON after all: fall back to the status line.
    }
  }
  const fieldErrors = problem.errors ?? {};
  const firstFieldError = Object.values(fieldErrors).flat()[0];
  const title = problem.title ?? (response.statusText || `HTTP ${response.status}`);
  return new ApiError(response.status, title, problem.detail ?? firstFieldError ?? null, fieldErrors);
}

/**
 * GET/POST/PUT/DELETE a JSON endpoint (an app path such as '/api/me'); resolves to null on 204 No Content. A body is
 * JSON unless it is FormData (sent as multipart/form-data).
 */
export async function request<T>(path: string, init: RequestInit = {}): Promise<T | null> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  // A FormData body (an upload) gets its multipart Content-Type, with the boundary, from fetch itself.
  if (init.body !== undefined && !(init.body instanceof FormData) && !headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/json');
  }
  let response: Response;
  try {
    response = await fetch(appUrl(path), { credentials: 'same-origin', ...init, headers });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') {
      throw error;
    }
    throw new ApiError(0, 'Network error', 'The server could not be reached. Check your connection and try again.');
  }
  if (!response.ok) {
    throw await toError(response);
  }
  if (response.status === 204) {
    return null;
  }
  return (await response.json()) as T;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const body = await request<T>(path, signal ? { signal } : {});
  if (body === null) {
    throw new ApiError(204, 'No content', 'The server answered without content.');
  }
  return body;
}

export function sendJson<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T | null> {
  return request<T>(path, body === undefined ? { method } : { method, body: JSON.stringify(body) });
}

/** Builds `path?k=v&…`, leaving out undefined, null and empty values. */
export function withQuery(path: string, query: Record<string, string | number | boolean | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export const enc = encodeURIComponent;

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    return error.detail ?? error.title;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

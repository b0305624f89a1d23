import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveUnder } from '../test/base';
import { json, mockFetch, calls } from '../test/fetch';
import { getJson, sendJson } from './api';
import { appUrl, basePath, normalizeBasePath, pathInApp } from './base';

describe('normalizeBasePath', () => {
  it('keeps a path base as the Host writes it', () => {
    expect(normalizeBasePath('')).toBe('');
    expect(normalizeBasePath('/music')).toBe('/music');
    expect(normalizeBasePath('/home/music')).toBe('/home/music');
  });

  it('drops a trailing slash, and takes anything that is not a path as the root', () => {
    expect(normalizeBasePath('/music/')).toBe('/music');
    expect(normalizeBasePath('/')).toBe('');
    expect(normalizeBasePath(null)).toBe('');
    expect(normalizeBasePath(undefined)).toBe('');
    expect(normalizeBasePath('music')).toBe('');
    expect(normalizeBasePath('//evil.example')).toBe('');
    expect(normalizeBasePath('https://evil.example/x')).toBe('');
    expect(normalizeBasePath('/a\\b')).toBe('');
  });
});

describe('basePath', () => {
  it('is the root without a base-path meta tag (the Vite dev server, tests)', () => {
    expect(basePath()).toBe('');
  });

  it('reads <meta name="base-path">', () => {
    serveUnder('/music');
    expect(basePath()).toBe('/music');
  });
});

describe('appUrl', () => {
  it('puts the base in front of an app path', () => {
    expect(appUrl('/api/me')).toBe('/api/me');
    expect(appUrl('/api/me', '/music')).toBe('/music/api/me');
    expect(appUrl('/', '/music')).toBe('/music/');
    serveUnder('/music');
    expect(appUrl('/hubs/listening?share=a%2Fb')).toBe('/music/hubs/listening?share=a%2Fb');
  });

  it('refuses a path that is not an app path', () => {
    expect(() => appUrl('api/me')).toThrow(/starts with '\/'/);
    expect(() => appUrl('https://evil.example/')).toThrow();
  });
});

describe('pathInApp', () => {
  it('strips the base from a URL path', () => {
    expect(pathInApp('/music/embed/now-playing/t', '/music')).toBe('/embed/now-playing/t');
    expect(pathInApp('/music', '/music')).toBe('/');
    expect(pathInApp('/music/', '/music')).toBe('/');
    expect(pathInApp('/embed/x', '')).toBe('/embed/x');
  });

  it('is null for a path outside the base (a prefix of a segment does not count)', () => {
    expect(pathInApp('/musical/embed/x', '/music')).toBeNull();
    expect(pathInApp('/embed/x', '/music')).toBeNull();
  });
});

describe('the API client under a sub-path', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends every request under the base', async () => {
    serveUnder('/music');
    const fetch = mockFetch((url) => (url.pathname.startsWith('/music/api/') ? json({ ok: true }) : undefined));
    await getJson('/api/me');
    await sendJson('PUT', '/api/me/sharing', { shareStats: true });
    expect(calls(fetch)).toEqual(['/music/api/me', '/music/api/me/sharing']);
  });
});

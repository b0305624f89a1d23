// Where the app lives: '' at the root of its origin, '/music' when it is served under a sub-path (the Host's
// PathBase setting, or a reverse proxy's X-Forwarded-Prefix). The Host writes it into <meta name="base-path"> of
// index.html and embed.html on every request; every URL the app builds (API, hub, sign-in, router basename, embed
// links) comes from here, so nothing assumes '/'.

/** A path base as the Host writes it: '' or '/segment[/segment…]', never a trailing '/'. Anything else is ''. */
export function normalizeBasePath(value: string | null | undefined): string {
  const trimmed = (value ?? '').trim().replace(/\/+$/, '');
  if (!trimmed.startsWith('/') || trimmed.startsWith('//') || trimmed.includes('\\')) {
    return '';
  }
  return trimmed;
}

/** The path base of this page, from <meta name="base-path" content="…">. */
export function basePath(doc: Document = document): string {
  return normalizeBasePath(doc.querySelector('meta[name="base-path"]')?.getAttribute('content'));
}

/** An app path ('/api/me', '/auth/login', '/hubs/listening?share=…') as a URL path under the base. */
export function appUrl(path: string, base: string = basePath()): string {
  if (!path.startsWith('/')) {
    throw new Error(`appUrl takes a path that starts with '/', not '${path}'`);
  }
  return base + path;
}

/** The app path of a URL path under the base ('/music/embed/x' → '/embed/x'); null when it is not under the base. */
export function pathInApp(pathname: string, base: string = basePath()): string | null {
  if (!base) {
    return pathname;
  }
  if (pathname === base) {
    return '/';
  }
  return pathname.startsWith(base + '/') ? pathname.slice(base.length) : null;
}

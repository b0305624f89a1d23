/**
 * Serves the page under `base` as the Host does: <meta name="base-path" content="…"> and the address bar at
 * `base + path`. The setup file puts both back after every test.
 */
export function serveUnder(base: string, path = '/'): void {
  let meta = document.querySelector<HTMLMetaElement>('meta[name="base-path"]');
  if (!meta) {
    meta = document.createElement('meta');
    meta.name = 'base-path';
    document.head.append(meta);
  }
  meta.content = base;
  window.history.replaceState(null, '', base + path);
}

export function resetBase(): void {
  document.querySelector('meta[name="base-path"]')?.remove();
  window.history.replaceState(null, '', '/');
}

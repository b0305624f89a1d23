// Applies the remembered theme before the first paint (no flash of the wrong theme). A file of its own, not an
// inline script, so the Content-Security-Policy can be script-src 'self' (see src/lib/theme.ts for the same logic).
try {
  var t = localStorage.getItem('orleansspotify.theme');
  if (t !== 'light' && t !== 'dark') t = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.dataset.theme = t;
} catch {
  // No storage (private mode, blocked): src/lib/theme.ts picks the system's theme.
}

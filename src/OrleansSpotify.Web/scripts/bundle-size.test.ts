import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryFiles, measure } from './bundle-size.mjs';

// Shaped like Vite's dist/.vite/manifest.json: entries, shared chunks ("_x.js" keys), a lazy page with its own
// dependency, CSS, and a cycle between shared chunks.
const manifest = {
  'index.html': {
    file: 'assets/index-a1.js',
    src: 'index.html',
    isEntry: true,
    imports: ['_react-b2.js', '_router-c3.js'],
    dynamicImports: ['src/features/dashboard/DashboardPage.tsx'],
    css: ['assets/index-x.css'],
  },
  'embed.html': { file: 'assets/embed-e5.js', src: 'embed.html', isEntry: true, imports: ['_react-b2.js'] },
  '_react-b2.js': { file: 'assets/react-b2.js', imports: ['_runtime-d4.js'] },
  '_router-c3.js': { file: 'assets/router-c3.js', imports: ['_react-b2.js', '_format-f6.js'] },
  '_runtime-d4.js': { file: 'assets/runtime-d4.js' },
  '_format-f6.js': { file: 'assets/format-f6.js', imports: ['_router-c3.js'] },
  'src/features/dashboard/DashboardPage.tsx': {
    file: 'assets/DashboardPage-g7.js',
    isDynamicEntry: true,
    imports: ['_charts-h8.js', '_react-b2.js'],
  },
  '_charts-h8.js': { file: 'assets/charts-h8.js' },
};

describe('entryFiles', () => {
  it('walks static imports transitively, each chunk once, and leaves lazy pages out', () => {
    expect(entryFiles(manifest, 'index.html')).toEqual([
      'assets/index-a1.js',
      'assets/react-b2.js',
      'assets/runtime-d4.js',
      'assets/router-c3.js',
      'assets/format-f6.js',
    ]);
  });

  it('measures the embed entry on its own', () => {
    expect(entryFiles(manifest, 'embed.html')).toEqual(['assets/embed-e5.js', 'assets/react-b2.js', 'assets/runtime-d4.js']);
  });

  it('fails loudly on an unknown entry or a dangling import', () => {
    expect(() => entryFiles(manifest, 'missing.html')).toThrow(/no entry "missing.html"/);
    expect(() => entryFiles({ 'index.html': { file: 'a.js', imports: ['_gone.js'] } }, 'index.html')).toThrow(/"_gone.js"/);
  });
});

describe('measure', () => {
  it('sums gzip sizes against the limit', () => {
    const dist = mkdtempSync(join(tmpdir(), 'bundle-size-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'assets/embed-e5.js'), 'console.log(1);'.repeat(100));
    writeFileSync(join(dist, 'assets/react-b2.js'), 'x');
    writeFileSync(join(dist, 'assets/runtime-d4.js'), '');
    const result = measure(dist, manifest, 'embed.html');
    expect(result.files.map((f) => f.file)).toHaveLength(3);
    expect(result.bytes).toBe(1501);
    expect(result.gzip).toBe(result.files.reduce((s, f) => s + f.gzip, 0));
    expect(result.gzip).toBeLessThan(result.bytes);
    expect(result.ok).toBe(true);
  });
});

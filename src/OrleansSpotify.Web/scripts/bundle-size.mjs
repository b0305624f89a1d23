// Measures what a visitor downloads before a page can run: the entry chunk of index.html (and of embed.html) plus
// every chunk it imports statically, transitively (dynamic imports — the lazy pages — are not counted). Reads Vite's
// dist/.vite/manifest.json, gzips each JS file at level 9, prints a table, writes dist/bundle-size.json, and exits 1
// when the first page is over its limit.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** @typedef {{ file: string; src?: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[] }} ManifestChunk */
/** @typedef {Record<string, ManifestChunk>} Manifest */

export const limits = { 'index.html': 300 * 1024, 'embed.html': 300 * 1024 };

/**
 * The JS files an entry loads before it runs: the entry's file, then its static imports, depth first, each once.
 * @param {Manifest} manifest
 * @param {string} entry a manifest key, e.g. "index.html"
 * @returns {string[]} output files relative to dist/
 */
export function entryFiles(manifest, entry) {
  const root = manifest[entry];
  if (!root) {
    throw new Error(`The manifest has no entry "${entry}" (keys: ${Object.keys(manifest).join(', ')})`);
  }
  /** @type {string[]} */
  const files = [];
  const seen = new Set();
  /** @param {string} key */
  const visit = (key) => {
    if (seen.has(key)) {
      return;
    }
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) {
      throw new Error(`The manifest lists the import "${key}" but has no chunk for it`);
    }
    if (chunk.file.endsWith('.js') && !files.includes(chunk.file)) {
      files.push(chunk.file);
    }
    for (const imported of chunk.imports ?? []) {
      visit(imported);
    }
  };
  visit(entry);
  return files;
}

/** @param {Buffer} content */
export function gzipSize(content) {
  return gzipSync(content, { level: 9 }).length;
}

/**
 * @param {string} dist
 * @param {Manifest} manifest
 * @param {string} entry
 */
export function measure(dist, manifest, entry) {
  const files = entryFiles(manifest, entry).map((file) => {
    const content = readFileSync(join(dist, file));
    return { file, bytes: content.length, gzip: gzipSize(content) };
  });
  const gzip = files.reduce((sum, f) => sum + f.gzip, 0);
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
  const limit = limits[/** @type {keyof typeof limits} */ (entry)] ?? Number.POSITIVE_INFINITY;
  return { entry, files, bytes, gzip, limit, ok: gzip <= limit };
}

/** @param {number} n */
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** @param {ReturnType<typeof measure>} result */
export function report(result) {
  const width = Math.max(4, ...result.files.map((f) => f.file.length));
  const lines = [`${'file'.padEnd(width)}  ${'raw'.padStart(10)}  ${'gzip -9'.padStart(10)}`];
  for (const f of result.files) {
    lines.push(`${f.file.padEnd(width)}  ${kb(f.bytes).padStart(10)}  ${kb(f.gzip).padStart(10)}`);
  }
  const name = result.entry === 'index.html' ? 'first page' : result.entry.replace('.html', '') + ' page';
  lines.push(`${name}: ${kb(result.gzip)} gzipped JS (limit ${Math.round(result.limit / 1024)} KB)${result.ok ? '' : '  <-- OVER THE LIMIT'}`);
  return lines.join('\n');
}

function main() {
  const dist = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
  /** @type {Manifest} */
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
  const results = Object.keys(limits).map((entry) => measure(dist, manifest, entry));
  for (const result of results) {
    console.log(report(result) + '\n');
  }
  writeFileSync(
    join(dist, 'bundle-size.json'),
    JSON.stringify(
      Object.fromEntries(results.map((r) => [r.entry, { gzipBytes: r.gzip, rawBytes: r.bytes, limitBytes: r.limit, ok: r.ok, files: r.files }])),
      null,
      2,
    ) + '\n',
  );
  if (results.some((r) => !r.ok)) {
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main();
}

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The ASP.NET Core host (`dotnet run --project src/OrleansSpotify.Host -- --demo`); another address with
// ORLEANSSPOTIFY_BACKEND=http://host:port npm run dev.
const backend = process.env.ORLEANSSPOTIFY_BACKEND ?? 'http://127.0.0.1:5080';

// /embed/now-playing/{token} is the embed page (served by the host from dist/embed.html); its .svg twin is the
// host's. In dev the page comes from Vite and everything else under /embed goes to the host.
const embedPage = /^\/embed\/now-playing\/[^/?]+(?:\?.*)?$/;

export default defineConfig({
  // Relative asset URLs ("./assets/…"): the same build works at the root and under a sub-path (PathBase, or a
  // proxy's X-Forwarded-Prefix). The Host resolves the HTML's "./" links against the request's path base when it
  // serves index.html / embed.html (which are served for deep URLs too), and fills in <meta name="base-path">, from
  // which src/lib/base.ts builds every API, hub and sign-in URL. Chunks import each other relative to themselves.
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    rolldownOptions: {
      input: {
        index: 'index.html',
        embed: 'embed.html',
      },
      output: {
        // Named vendor chunks, so the bundle-size table says what is what. The chart group is only reached from
        // the lazy dashboard, so it is never part of the first page.
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'router', test: /[\\/]node_modules[\\/]react-router[\\/]/ },
            { name: 'signalr', test: /[\\/]node_modules[\\/]@microsoft[\\/]signalr[\\/]/ },
            { name: 'query', test: /[\\/]node_modules[\\/]@tanstack[\\/]/ },
            { name: 'charts', test: /[\\/]node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  // Pre-bundle the lazy pages' dependencies at dev start, not on first visit (which would reload the page).
  optimizeDeps: {
    include: ['recharts', '@microsoft/signalr', 'react-router'],
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: backend, changeOrigin: true },
      '/auth': { target: backend, changeOrigin: true },
      '/hubs': { target: backend, changeOrigin: true, ws: true },
      '/embed': {
        target: backend,
        changeOrigin: true,
        bypass: (req) => {
          const url = req.url ?? '';
          return embedPage.test(url) && !url.split('?')[0]!.endsWith('.svg') ? '/embed.html' : undefined;
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    // Bounds against a hung test, not measures of speed: the suite runs beside the .NET tests on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createQueryClient } from '../lib/query';
import { LiveCache } from '../lib/liveCache';
import { createLiveBus, LiveContext, type LiveBus } from '../lib/live';

/**
 * What the app puts around its pages, for a test: a fresh query client (as the app configures it) and a hub bus
 * the test can emit on, feeding the cache as in the app. Use the returned `wrapper` with render().
 */
export function appProviders(bus: LiveBus = createLiveBus()) {
  const client = createQueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>
      <LiveContext.Provider value={{ status: 'live', bus }}>
        <LiveCache />
        {children}
      </LiveContext.Provider>
    </QueryClientProvider>
  );
  return { client, bus, wrapper };
}

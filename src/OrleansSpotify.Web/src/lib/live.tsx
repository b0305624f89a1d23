import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { connectLive, type ConnectionStatus, type HubEventName, type HubEvents } from './hub';

type Handler<T> = (message: T) => void;

/** A typed in-page emitter that the hub feeds; components subscribe to it, whether connected yet or not. */
export interface LiveBus {
  emit<K extends HubEventName>(event: K, message: HubEvents[K]): void;
  on<K extends HubEventName>(event: K, handler: Handler<HubEvents[K]>): () => void;
  resync(): void;
  onResync(handler: () => void): () => void;
}

export function createLiveBus(): LiveBus {
  const handlers = new Map<string, Set<Handler<never>>>();
  const resyncs = new Set<() => void>();
  return {
    emit(event, message) {
      for (const handler of handlers.get(event) ?? []) {
        (handler as Handler<typeof message>)(message);
      }
    },
    on(event, handler) {
      const set = handlers.get(event) ?? new Set();
      handlers.set(event, set);
      set.add(handler as Handler<never>);
      return () => set.delete(handler as Handler<never>);
    },
    resync() {
      for (const handler of resyncs) {
        handler();
      }
    },
    onResync(handler) {
      resyncs.add(handler);
      return () => resyncs.delete(handler);
    },
  };
}

export interface LiveContextValue {
  status: ConnectionStatus | 'off';
  bus: LiveBus;
}

const fallback: LiveContextValue = { status: 'off', bus: createLiveBus() };
export const LiveContext = createContext<LiveContextValue>(fallback);

export function useLive(): LiveContextValue {
  return useContext(LiveContext);
}

/** Subscribes `handler` to a hub event for the component's lifetime (the latest handler is always called). */
export function useHubEvent<K extends HubEventName>(event: K, handler: Handler<HubEvents[K]>): void {
  const { bus } = useLive();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => bus.on(event, (message) => latest.current(message)), [bus, event]);
}

/** Calls `handler` after every (re)connect of the hub, to refetch what may have been missed. */
export function useResync(handler: () => void): void {
  const { bus } = useLive();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => bus.onResync(() => latest.current()), [bus]);
}

const events: HubEventName[] = ['nowPlaying', 'playsAdded', 'accountChanged', 'importProgress'];

/** Holds the page's one connection to /hubs/listening while `enabled` (a signed-in member). */
export function LiveProvider({ enabled, url = '/hubs/listening', children }: { enabled: boolean; url?: string; children: ReactNode }) {
  const [bus] = useState(createLiveBus);
  const [connectionStatus, setStatus] = useState<ConnectionStatus>('connecting');
  const status: ConnectionStatus | 'off' = enabled ? connectionStatus : 'off';

  useEffect(() => {
    if (!enabled) {
      return;
    }
    const connection = connectLive({ url, onStatus: setStatus, onResync: () => bus.resync() });
    const unsubscribe = events.map((event) => connection.on(event, (message) => bus.emit(event, message)));
    return () => {
      unsubscribe.forEach((off) => off());
      void connection.stop();
    };
  }, [enabled, url, bus]);

  const value = useMemo(() => ({ status, bus }), [status, bus]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

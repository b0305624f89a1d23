import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A stand-in for @microsoft/signalr's HubConnection that the test drives. */
const fake = vi.hoisted(() => {
  const state = {
    url: '',
    policy: null as null | { nextRetryDelayInMilliseconds: (c: { previousRetryCount: number }) => number | null },
    handlers: {} as Record<string, ((...args: unknown[]) => void)[]>,
    reconnecting: [] as (() => void)[],
    reconnected: [] as (() => void)[],
    closed: [] as (() => void)[],
    starts: 0,
    failStarts: 0,
    stops: 0,
    connectionState: 'Disconnected',
  };
  class Builder {
    withUrl(url: string) {
      state.url = url;
      return this;
    }
    withAutomaticReconnect(policy: typeof state.policy) {
      state.policy = policy;
      return this;
    }
    configureLogging() {
      return this;
    }
    build() {
      return {
        get state() {
          return state.connectionState;
        },
        on: (event: string, handler: (...args: unknown[]) => void) => (state.handlers[event] ??= []).push(handler),
        off: (event: string, handler: (...args: unknown[]) => void) => {
          state.handlers[event] = (state.handlers[event] ?? []).filter((h) => h !== handler);
        },
        onreconnecting: (f: () => void) => state.reconnecting.push(f),
        onreconnected: (f: () => void) => state.reconnected.push(f),
        onclose: (f: () => void) => state.closed.push(f),
        start: async () => {
          state.starts++;
          if (state.failStarts > 0) {
            state.failStarts--;
            throw new Error('negotiate failed');
          }
          state.connectionState = 'Connected';
        },
        stop: async () => {
          state.stops++;
          state.connectionState = 'Disconnected';
        },
      };
    }
  }
  return { state, Builder };
});

vi.mock('@microsoft/signalr', () => ({
  HubConnectionBuilder: fake.Builder,
  HubConnectionState: { Disconnected: 'Disconnected', Connected: 'Connected' },
  LogLevel: { Warning: 3 },
}));

const { connectLive, retryDelay } = await import('./hub');
const { serveUnder } = await import('../test/base');

function reset() {
  Object.assign(fake.state, { url: '', policy: null, handlers: {}, reconnecting: [], reconnected: [], closed: [], starts: 0, failStarts: 0, stops: 0, connectionState: 'Disconnected' });
}

describe('retryDelay', () => {
  it('backs off quickly and then retries every 10 seconds, forever', () => {
    expect([0, 1, 2, 3, 4].map(retryDelay)).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(retryDelay(5)).toBe(10_000);
    expect(retryDelay(1000)).toBe(10_000);
  });
});

describe('connectLive', () => {
  it('connects to the hub under the sub-path the page is served from', async () => {
    serveUnder('/music');
    const connection = connectLive({ url: '/hubs/listening?share=a%2Fb', onStatus: () => {}, onResync: () => {} });
    expect(fake.state.url).toBe('/music/hubs/listening?share=a%2Fb');
    await connection.stop();
  });

  beforeEach(() => {
    reset();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('reports Live and asks for a resync after every (re)connect', async () => {
    const statuses: string[] = [];
    const onResync = vi.fn();
    connectLive({ url: '/hubs/listening', onStatus: (s) => statuses.push(s), onResync });
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses).toEqual(['connecting', 'live']);
    expect(onResync).toHaveBeenCalledTimes(1);

    fake.state.reconnecting.forEach((f) => f());
    fake.state.reconnected.forEach((f) => f());
    expect(statuses.slice(-2)).toEqual(['reconnecting', 'live']);
    expect(onResync).toHaveBeenCalledTimes(2);
    expect(fake.state.policy?.nextRetryDelayInMilliseconds({ previousRetryCount: 50 })).toBe(10_000);
  });

  it('keeps restarting a connection whose start fails, with backoff', async () => {
    fake.state.failStarts = 3;
    const statuses: string[] = [];
    connectLive({ url: '/hubs/listening', onStatus: (s) => statuses.push(s), onResync: () => {} });
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.state.starts).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(fake.state.starts).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fake.state.starts).toBe(3);
    await vi.advanceTimersByTimeAsync(2000);
    expect(fake.state.starts).toBe(4);
    expect(statuses.at(-1)).toBe('live');
  });

  it('restarts after the connection closes', async () => {
    connectLive({ url: '/hubs/listening', onStatus: () => {}, onResync: () => {} });
    await vi.advanceTimersByTimeAsync(0);
    fake.state.connectionState = 'Disconnected';
    fake.state.closed.forEach((f) => f());
    await vi.advanceTimersByTimeAsync(500);
    expect(fake.state.starts).toBe(2);
  });

  it('stops for good when the connection drops and shouldRetry says no (a revoked share token)', async () => {
    const shouldRetry = vi.fn(async () => false);
    connectLive({ url: '/hubs/listening?share=t', onStatus: () => {}, onResync: () => {}, shouldRetry });
    await vi.advanceTimersByTimeAsync(0);
    fake.state.reconnecting.forEach((f) => f());
    await vi.advanceTimersByTimeAsync(0);
    expect(shouldRetry).toHaveBeenCalled();
    expect(fake.state.stops).toBe(1);
    expect(fake.state.policy?.nextRetryDelayInMilliseconds({ previousRetryCount: 0 })).toBeNull();
    fake.state.closed.forEach((f) => f());
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fake.state.starts).toBe(1);
  });

  it('stop() ends the restarts', async () => {
    fake.state.failStarts = 100;
    const live = connectLive({ url: '/hubs/listening', onStatus: () => {}, onResync: () => {} });
    await vi.advanceTimersByTimeAsync(0);
    await live.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.state.starts).toBe(1);
  });
});

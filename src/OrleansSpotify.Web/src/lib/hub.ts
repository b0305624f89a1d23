import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from '@microsoft/signalr';
import { appUrl } from './base';
import type { AccountView, ImportJobView, LiveStateView, PlaysAddedMessage } from './types';

/** Server → client methods of /hubs/listening. */
export interface HubEvents {
  nowPlaying: LiveStateView;
  playsAdded: PlaysAddedMessage;
  accountChanged: AccountView;
  /** An import job of the signed-in member moved (sent to that member only): started, a batch committed, ended. */
  importProgress: ImportJobView;
}

export type HubEventName = keyof HubEvents;
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting';

/** Backoff for reconnects and restarts: 0.5 s, 1 s, 2 s, 4 s, 8 s, then every 10 s, forever. */
export function retryDelay(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** attempt);
}

export interface LiveConnection {
  on<K extends HubEventName>(event: K, handler: (message: HubEvents[K]) => void): () => void;
  stop(): Promise<void>;
}

export interface LiveConnectionOptions {
  /** The hub's app path ('/hubs/listening…'); the page's path base goes in front of it. */
  url: string;
  onStatus: (status: ConnectionStatus) => void;
  /** After every (re)connect: state sent while disconnected was missed, fetch it over REST. */
  onResync: () => void;
  /**
   * Asked when the connection drops and before each restart: false stops for good (e.g. an embed's share token
   * turned out revoked).
   */
  shouldRetry?: () => boolean | Promise<boolean>;
}

/**
 * One SignalR connection that never gives up: automatic reconnect with capped backoff, and a restart loop for the
 * cases automatic reconnect does not cover (the first start failing, or a close after reconnect attempts end).
 */
export function connectLive(options: LiveConnectionOptions): LiveConnection {
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let everConnected = false;

  const connection: HubConnection = new HubConnectionBuilder()
    .withUrl(appUrl(options.url))
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => (stopped ? null : retryDelay(context.previousRetryCount)) })
    .configureLogging(LogLevel.Warning)
    .build();

  connection.onreconnecting(() => {
    options.onStatus('reconnecting');
    // The server may have dropped us for good (e.g. a revoked share token): ask before retrying forever.
    if (options.shouldRetry) {
      void Promise.resolve(options.shouldRetry()).then((retry) => {
        if (!retry) {
          stopped = true;
          clearTimeout(timer);
          void connection.stop();
        }
      });
    }
  });
  connection.onreconnected(() => {
    options.onStatus('live');
    options.onResync();
  });
  connection.onclose(() => {
    if (!stopped) {
      options.onStatus('reconnecting');
      schedule();
    }
  });

  async function start(): Promise<void> {
    if (stopped || connection.state !== HubConnectionState.Disconnected) {
      return;
    }
    try {
      await connection.start();
      attempt = 0;
      options.onStatus('live');
      // Also after the first start: anything between the page's first fetch and now would otherwise be missed.
      options.onResync();
      everConnected = true;
    } catch {
      if (!stopped) {
        options.onStatus(everConnected ? 'reconnecting' : 'connecting');
        schedule();
      }
    }
  }

  function schedule(): void {
    clearTimeout(timer);
    const delay = retryDelay(attempt++);
    timer = setTimeout(() => {
      void (async () => {
        if (options.shouldRetry && !(await options.shouldRetry())) {
          stopped = true;
          return;
        }
        await start();
      })();
    }, delay);
  }

  options.onStatus('connecting');
  void start();

  return {
    on(event, handler) {
      const callback = (message: unknown) => handler(message as Parameters<typeof handler>[0]);
      connection.on(event, callback);
      return () => connection.off(event, callback);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await connection.stop();
    },
  };
}

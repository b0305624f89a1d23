import { useQueryClient } from '@tanstack/react-query';
import { enc } from './api';
import { isFinished, putImportJob } from './importJobs';
import { useHubEvent, useResync } from './live';
import { accountsPath, invalidatePaths, queryPath, replaceAccount } from './query';
import type { AccountView } from './types';
import { overviewKey, overviewReducer, type OverviewAction, type OverviewState } from '../features/overview/store';

/**
 * Feeds the hub's messages into the query cache, once for the whole page: live states and new plays into the
 * overview, changed accounts into the shared account list, and new plays or a changed sharing choice mark the
 * stats they change stale (refetched at once where shown, on the next visit elsewhere), import jobs' progress into
 * the job and its account's list (and, once a job ends, the stats stale). After a (re)connect, what the hub may have
 * missed is fetched again.
 */
export function useLiveCache(): void {
  const client = useQueryClient();
  const overview = (action: OverviewAction) => {
    // Applied to an empty overview when none is cached yet: the snapshot that follows keeps what is newer.
    client.setQueryData<OverviewState>(overviewKey, (state) => overviewReducer(state ?? { live: [], feed: [] }, action));
  };

  useHubEvent('nowPlaying', (state) => overview({ type: 'nowPlaying', state }));
  useHubEvent('playsAdded', (update) => {
    overview({ type: 'playsAdded', update });
    void invalidatePaths(client, `/api/accounts/${enc(update.accountId)}/stats/`, '/api/household/stats/');
  });
  useHubEvent('accountChanged', (account: AccountView) => {
    client.setQueryData<AccountView[]>([accountsPath], (list) => replaceAccount(list, account));
    const shown = client.getQueryData<OverviewState>(overviewKey)?.live.some((s) => s.accountId === account.id) ?? false;
    if (account.playCount === null) {
      // The member went private: their live state and plays are no longer yours to see.
      overview({ type: 'hidden', accountId: account.id });
    } else if (account.shareStats && !shown) {
      // One who shares again is read back with a fresh snapshot.
      void client.invalidateQueries({ queryKey: overviewKey });
    }
    void invalidatePaths(client, '/api/household/stats/');
  });
  useHubEvent('importProgress', (job) => {
    putImportJob(client, job);
    if (isFinished(job)) {
      // The imported plays are in the stats now (and in the account's play count): shown panels refetch.
      void invalidatePaths(client, `/api/accounts/${enc(job.accountId)}/stats/`, '/api/household/stats/');
      void client.invalidateQueries({ queryKey: [accountsPath] });
      void client.invalidateQueries({ queryKey: ['history', job.accountId] });
    }
  });
  useResync(() => {
    void client.invalidateQueries({ queryKey: overviewKey });
    void client.invalidateQueries({ queryKey: [accountsPath] });
    // A job's messages sent while disconnected were missed: shown jobs and lists are read again.
    void invalidatePaths(client, '/api/imports/');
    void client.invalidateQueries({ predicate: (query) => /^\/api\/accounts\/[^/]+\/imports$/.test(queryPath(query)) });
  });
}

/** useLiveCache as a component, mounted once while a member is signed in. */
export function LiveCache(): null {
  useLiveCache();
  return null;
}

import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockFetch } from '../test/fetch';
import { account, importJob } from '../test/fixtures';
import { appProviders } from '../test/query';
import { isNotOlder, withJob } from './importJobs';
import { accountsPath, useApiQuery } from './query';

const running = (read: number) => importJob({ state: 'running', files: [{ ...importJob().files[0]!, read }] });

describe('import jobs in the cache', () => {
  it('never lets an older view of a job replace a newer one', () => {
    expect(isNotOlder(running(2), undefined)).toBe(true);
    expect(isNotOlder(running(2), importJob())).toBe(true);
    expect(isNotOlder(running(3), running(2))).toBe(true);
    expect(isNotOlder(running(2), running(3))).toBe(false);
    expect(isNotOlder(running(3), importJob({ state: 'done' }))).toBe(false);
    expect(isNotOlder(importJob({ state: 'failed' }), running(3))).toBe(true);
  });

  it('puts a new job first in the list and replaces a listed one in place', () => {
    const old = importJob({ id: 'job-0', state: 'done' });
    expect(withJob(undefined, running(1))).toBeUndefined();
    expect(withJob([old], running(1))?.map((j) => j.id)).toEqual(['job-1', 'job-0']);
    expect(withJob([running(1), old], running(2))?.[0]?.read).toBe(2);
    expect(withJob([running(2), old], running(1))?.[0]?.read).toBe(2);
  });

  it('marks the member’s stats and play count stale when a job of theirs ends, not while it runs', async () => {
    let plays = 10;
    const fetch = mockFetch((url) => {
      if (url.pathname === '/api/accounts/alex/stats/summary') {
        return json({ plays: plays });
      }
      if (url.pathname === accountsPath) {
        return json([account({ playCount: plays })]);
      }
      return undefined;
    });
    const { wrapper, bus } = appProviders();
    const { result } = renderHook(
      () => ({ summary: useApiQuery<{ plays: number }>('/api/accounts/alex/stats/summary'), accounts: useApiQuery<unknown[]>(accountsPath) }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.summary.data?.plays).toBe(10));

    act(() => bus.emit('importProgress', running(2)));
    plays = 13;
    act(() => bus.emit('importProgress', importJob({ state: 'done', files: [{ ...importJob().files[0]!, read: 3, imported: 3 }] })));

    await waitFor(() => expect(result.current.summary.data?.plays).toBe(13));
    await waitFor(() => expect(result.current.accounts.data).toEqual([account({ playCount: 13 })]));
    expect(fetch.mock.calls.filter(([u]) => u === '/api/accounts/alex/stats/summary')).toHaveLength(2);
  });
});

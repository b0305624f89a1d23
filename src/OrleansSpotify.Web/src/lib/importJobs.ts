// Import jobs in the query cache: a job is the answer of GET /api/imports/{job}, a member's jobs the answer of
// GET /api/accounts/{id}/imports (newest first). The hub's importProgress messages, the upload's 202 answer and
// those queries all write the same entries, and an older view of a job never replaces a newer one (a message may
// arrive before the upload's answer, a refetch may answer after a message).
import type { QueryClient } from '@tanstack/react-query';
import { enc } from './api';
import type { ImportJobView } from './types';

export const importJobPath = (jobId: string) => `/api/imports/${enc(jobId)}`;
export const accountImportsPath = (accountId: string) => `/api/accounts/${enc(accountId)}/imports`;

const stage: Record<ImportJobView['state'], number> = { queued: 0, running: 1, done: 2, failed: 2 };

export function isFinished(job: Pick<ImportJobView, 'state'>): boolean {
  return job.state === 'done' || job.state === 'failed';
}

/** Whether `next` is at least as far along as `current` (the same job): later state, or as many rows read. */
export function isNotOlder(next: ImportJobView, current: ImportJobView | undefined): boolean {
  if (current === undefined) {
    return true;
  }
  const byStage = stage[next.state] - stage[current.state];
  return byStage !== 0 ? byStage > 0 : next.read >= current.read;
}

/** The member's list with `job` in it: replaced where listed (unless older), otherwise first (the newest). */
export function withJob(list: ImportJobView[] | undefined, job: ImportJobView): ImportJobView[] | undefined {
  if (list === undefined) {
    return undefined;
  }
  const current = list.find((j) => j.id === job.id);
  if (current === undefined) {
    return [job, ...list];
  }
  return isNotOlder(job, current) ? list.map((j) => (j.id === job.id ? job : j)) : list;
}

/** Puts a view of a job into the cache: the job's own query and its account's list. */
export function putImportJob(client: QueryClient, job: ImportJobView): void {
  client.setQueryData<ImportJobView>([importJobPath(job.id)], (current) => (isNotOlder(job, current) ? job : current));
  client.setQueryData<ImportJobView[]>([accountImportsPath(job.accountId)], (list) => withJob(list, job));
}

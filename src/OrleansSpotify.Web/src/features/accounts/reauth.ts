import type { AccountView } from '../../lib/types';

/** Spotify refresh tokens die 6 months after sign-in; from 5 months on, members are asked to sign in again. */
export const warnAfterMonths = 5;

export type ReauthState =
  | { kind: 'ok' }
  | { kind: 'soon'; by: Date }
  | { kind: 'expired'; by: Date }
  | { kind: 'needs-reauth' };

export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

export function reauthState(account: Pick<AccountView, 'status' | 'authorizedAt' | 'reauthorizeBy'>, now: number): ReauthState {
  if (account.status === 'needs-reauth') {
    return { kind: 'needs-reauth' };
  }
  const by = new Date(account.reauthorizeBy);
  if (now >= by.getTime()) {
    return { kind: 'expired', by };
  }
  if (now >= addMonths(new Date(account.authorizedAt), warnAfterMonths).getTime()) {
    return { kind: 'soon', by };
  }
  return { kind: 'ok' };
}

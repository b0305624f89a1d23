import { describe, expect, it } from 'vitest';
import { retryDelay } from './hub';

describe('retryDelay', () => {
  it('backs off quickly and then retries every 10 seconds, forever', () => {
    expect([0, 1, 2, 3, 4].map(retryDelay)).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(retryDelay(5)).toBe(10_000);
    expect(retryDelay(1000)).toBe(10_000);
  });
});

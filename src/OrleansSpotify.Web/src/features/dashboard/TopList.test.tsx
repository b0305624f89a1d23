import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TopEntry, TopList as TopListData } from '../../lib/types';
import { rankChange } from './rankChange';
import { TopList } from './TopList';

function entry(rank: number, previousRank: number | null, name = `Track ${rank}`): TopEntry {
  return {
    rank,
    previousRank,
    name,
    spotifyId: name,
    subtitle: 'Artist',
    imageUrl: null,
    plays: 20 - rank,
    time: { totalMs: (20 - rank) * 180_000, reportedMs: 0, estimatedMs: (20 - rank) * 180_000 },
  };
}

function list(items: TopEntry[], previousFrom: string | null = '2026-01-01T00:00:00Z'): TopListData {
  return { kind: 'tracks', by: 'plays', previousFrom, previousTo: previousFrom ? '2026-02-01T00:00:00Z' : null, items };
}

describe('rankChange', () => {
  it('tells up, down, same and new apart', () => {
    expect(rankChange({ rank: 2, previousRank: 5 })).toEqual({ kind: 'up', places: 3 });
    expect(rankChange({ rank: 4, previousRank: 1 })).toEqual({ kind: 'down', places: 3 });
    expect(rankChange({ rank: 3, previousRank: 3 })).toEqual({ kind: 'same' });
    expect(rankChange({ rank: 1, previousRank: null })).toEqual({ kind: 'new' });
  });
});

describe('TopList', () => {
  it('marks each entry with how it moved since the previous period', () => {
    render(<TopList list={list([entry(1, 3), entry(2, 1), entry(3, null), entry(4, 4)])} by="plays" />);
    const rows = screen.getAllByTestId('top-item');
    expect(within(rows[0]!).getByLabelText('up 2, was number 3')).toHaveTextContent('↑2');
    expect(within(rows[1]!).getByLabelText('down 1, was number 1')).toHaveTextContent('↓1');
    expect(within(rows[2]!).getByLabelText('new')).toHaveTextContent('new');
    expect(within(rows[3]!).getByLabelText('same place')).toHaveTextContent('=');
  });

  it('shows no markers when there is no previous period (all time)', () => {
    render(<TopList list={list([entry(1, null), entry(2, 1)], null)} by="plays" />);
    expect(screen.queryByText('new')).not.toBeInTheDocument();
    expect(screen.queryByText(/↑|↓/)).not.toBeInTheDocument();
  });

  it('shows the value it is ranked by', () => {
    const { rerender } = render(<TopList list={list([entry(1, 1)])} by="plays" />);
    expect(screen.getByText('19 plays')).toBeInTheDocument();
    rerender(<TopList list={list([entry(1, 1)])} by="time" />);
    expect(screen.getByText('57 min')).toBeInTheDocument();
  });
});

import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { serveUnder } from '../../test/base';
import { ExportLinks } from './ExportLinks';

describe('ExportLinks', () => {
  it('links each export format as a download under the path base', () => {
    serveUnder('/music', '/accounts');
    render(<ExportLinks path="/api/accounts/acc%2Falex/export" label="Export my plays" />);

    const group = screen.getByRole('group', { name: 'Export my plays' });
    const links = within(group).getAllByRole('link');
    expect(links.map((a) => a.textContent)).toEqual(['CSV', 'JSON', 'ListenBrainz']);
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      '/music/api/accounts/acc%2Falex/export?format=csv',
      '/music/api/accounts/acc%2Falex/export?format=json',
      '/music/api/accounts/acc%2Falex/export?format=listenbrainz',
    ]);
    links.forEach((a) => expect(a).toHaveAttribute('download'));
  });

  it('links the household export at the root when served at the root', () => {
    render(<ExportLinks path="/api/household/export" label="Export the household" />);

    expect(screen.getByRole('link', { name: 'CSV' })).toHaveAttribute('href', '/api/household/export?format=csv');
  });
});

import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { SessionContext } from '../../lib/session';
import type { ImportJobView } from '../../lib/types';
import { serveUnder } from '../../test/base';
import { calls, json, mockFetch, type Route as FetchRoute } from '../../test/fetch';
import { importJob } from '../../test/fixtures';
import { appProviders } from '../../test/query';
import ImportPage, { formatBytes, pickFiles } from './ImportPage';
import { progressOf, splitName, uploadedNames } from './ImportReport';

const me = { id: 'alex', displayName: 'Alex Morgan' };
const fileName = 'my_spotify_data.zip/Spotify Extended Streaming History/Streaming_History_Audio_2024.json';

function renderPage(path = '/accounts/alex/import', providers = appProviders()) {
  render(
    <SessionContext.Provider value={{ info: null, me }}>
      <Routes>
        <Route path="/accounts/:id/import" element={<ImportPage />} />
      </Routes>
    </SessionContext.Provider>,
    {
      wrapper: ({ children }) => (
        <providers.wrapper>
          <MemoryRouter initialEntries={[path]}>{children}</MemoryRouter>
        </providers.wrapper>
      ),
    },
  );
  return providers;
}

/** The import API of Alex's account: `past` listed, `jobs` by id, and the upload's answer. */
function serveImports({ past = [] as ImportJobView[], jobs = {} as Record<string, ImportJobView>, upload = undefined as FetchRoute | undefined } = {}) {
  return mockFetch((url, init) => {
    // Served at the root or under /music.
    const path = url.pathname.replace(/^\/music\//, '/');
    if (path === '/api/accounts/alex/imports' && init?.method === 'POST') {
      return upload?.(url, init) ?? json(importJob(), 202);
    }
    if (path === '/api/accounts/alex/imports') {
      return json(past);
    }
    const job = /^\/api\/imports\/(.+)$/.exec(path)?.[1];
    if (job && jobs[job]) {
      return json(jobs[job]);
    }
    return undefined;
  });
}

const zip = () => new File([new Uint8Array(2048)], 'my_spotify_data.zip', { type: 'application/zip' });
const bar = () => screen.getByRole('progressbar', { name: 'Rows imported' });

function running(read: number, overrides: Partial<ImportJobView['files'][number]> = {}): ImportJobView {
  return importJob({
    state: 'running',
    startedAt: '2026-03-01T12:00:01.000Z',
    files: [{ name: fileName, format: 'extended-history', rows: 3, read, imported: read, merged: 0, duplicates: 0, skipped: 0, skippedByReason: {}, ...overrides }],
  });
}

describe('ImportPage', () => {
  it('uploads the chosen files as parts named files under the path base, then follows the job over the hub to its report', async () => {
    serveUnder('/music', '/accounts/alex/import');
    const fetch = serveImports();
    const { bus } = renderPage();
    const user = userEvent.setup();

    await user.upload(screen.getByTestId('import-input'), [zip(), new File(['[]'], 'StreamingHistory_music_0.json', { type: 'application/json' })]);
    expect(within(screen.getByRole('list', { name: 'Chosen files' })).getAllByRole('listitem')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Import 2 files' }));

    await waitFor(() => expect(bar()).toHaveAttribute('aria-valuenow', '0'));
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(post?.[0]).toBe('/music/api/accounts/alex/imports');
    const body = post?.[1]?.body as FormData;
    expect(body.getAll('files').map((f) => (f as File).name)).toEqual(['my_spotify_data.zip', 'StreamingHistory_music_0.json']);
    // fetch sets the multipart Content-Type with its boundary: the client must not put JSON's there.
    expect(new Headers(post?.[1]?.headers).get('Content-Type')).toBeNull();
    expect(bar()).toHaveAttribute('aria-valuemax', '3');
    expect(screen.getByTestId('import-state')).toHaveTextContent('Queued');
    // The chosen files are cleared once accepted.
    expect(screen.queryByRole('list', { name: 'Chosen files' })).toBeNull();

    // The query cache tells its observers on a timer: wait for the page to show what a message brought.
    act(() => bus.emit('importProgress', running(2)));
    await waitFor(() => expect(bar()).toHaveAttribute('aria-valuenow', '2'));
    expect(screen.getByRole('status')).toHaveTextContent('Importing: 2 of 3 rows read.');

    const done = importJob({
      state: 'done',
      startedAt: '2026-03-01T12:00:01.000Z',
      finishedAt: '2026-03-01T12:00:04.000Z',
      skippedByReason: { 'no track name': 1 },
      files: [{ name: fileName, format: 'extended-history', rows: 3, read: 3, imported: 1, merged: 1, duplicates: 0, skipped: 1, skippedByReason: { 'no track name': 1 } }],
      skippedEntries: [{ name: 'my_spotify_data.zip/ReadMeFirst_ExtendedStreamingHistory.pdf', reason: 'not a streaming history file' }],
    });
    act(() => bus.emit('importProgress', done));

    await waitFor(() => expect(bar()).toHaveAttribute('aria-valuenow', '3'));
    expect(screen.getByTestId('import-state')).toHaveTextContent('Done');
    expect(screen.getByRole('status')).toHaveTextContent('Done: 3 rows read in 3 s.');
    const counts = screen.getByTestId('import-counts');
    expect(within(counts).getByText('Imported').parentElement).toHaveTextContent('1new plays');
    expect(within(counts).getByText('Merged').parentElement).toHaveTextContent('1with recorded plays');
    expect(within(counts).getByText('Skipped').parentElement).toHaveTextContent('1left out');
    const row = within(screen.getByTestId('import-files')).getByTestId('import-file');
    expect(row).toHaveTextContent('Streaming_History_Audio_2024.json');
    expect(row).toHaveTextContent('Extended streaming history');
    expect(row).toHaveTextContent('no track name: 1');
    expect(screen.getByTestId('import-skipped-entries')).toHaveTextContent('ReadMeFirst_ExtendedStreamingHistory.pdf');
    expect(screen.getByTestId('import-skipped-entries')).toHaveTextContent('not a streaming history file');
    // The past imports list took the job from the messages without asking again.
    expect(within(screen.getByTestId('past-imports')).getByTestId('past-import')).toHaveAttribute('data-state', 'done');
    expect(fetch.mock.calls.filter(([url, init]) => url === '/music/api/accounts/alex/imports' && init?.method !== 'POST')).toHaveLength(1);
  });

  it('keeps a newer view that the hub brought before the upload answered', async () => {
    let answer: ((response: Response) => void) | undefined;
    serveImports({
      upload: () =>
        new Promise<Response>((resolve) => {
          answer = resolve;
        }),
    });
    const { bus } = renderPage();
    const user = userEvent.setup();
    await user.upload(screen.getByTestId('import-input'), zip());
    await user.click(screen.getByRole('button', { name: 'Import 1 file' }));
    await screen.findByRole('button', { name: /Uploading 2 KB/ });

    act(() => bus.emit('importProgress', running(3)));
    await act(async () => answer?.(json(importJob(), 202)));

    await waitFor(() => expect(bar()).toHaveAttribute('aria-valuenow', '3'));
    expect(screen.getByTestId('import-state')).toHaveTextContent('Importing');
  });

  it('shows what the server said when it refuses the files, and keeps them chosen', async () => {
    serveImports({
      upload: () =>
        json(
          {
            title: 'The file could not be imported',
            status: 422,
            detail: 'my_spotify_data.zip/Streaming_History_Audio_2024.json, record 17: ts is not a date',
            file: 'my_spotify_data.zip/Streaming_History_Audio_2024.json',
            record: 17,
          },
          422,
        ),
    });
    renderPage();
    const user = userEvent.setup();
    await user.upload(screen.getByTestId('import-input'), zip());
    await user.click(screen.getByRole('button', { name: 'Import 1 file' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The files were not imported');
    expect(alert).toHaveTextContent('record 17: ts is not a date');
    expect(screen.getByRole('list', { name: 'Chosen files' })).toHaveTextContent('my_spotify_data.zip');
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('leaves out dropped files that are not .zip or .json and says so', async () => {
    serveImports();
    renderPage();
    const pdf = new File(['%PDF'], 'ReadMe.pdf', { type: 'application/pdf' });
    fireEvent.drop(screen.getByTestId('import-dropzone'), { dataTransfer: { files: [zip(), pdf] } });

    expect(await screen.findByRole('alert')).toHaveTextContent('Left out (not a .zip or .json file): ReadMe.pdf');
    expect(within(screen.getByRole('list', { name: 'Chosen files' })).getAllByRole('listitem')).toHaveLength(1);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Remove my_spotify_data.zip' }));
    expect(screen.queryByRole('list', { name: 'Chosen files' })).toBeNull();
    expect(screen.getByTestId('import-submit')).toBeDisabled();
  });

  it('shows a failed job’s error, and a past import’s report when chosen from the list', async () => {
    const failed = importJob({
      id: 'job-0',
      state: 'failed',
      createdAt: '2026-02-01T08:00:00.000Z',
      error: 'Streaming_History_Audio_2023.json, record 1200: the file ends in the middle of a row',
    });
    const done = importJob({ id: 'job-2', state: 'done', files: [{ ...importJob().files[0]!, read: 3, imported: 3 }] });
    serveImports({ past: [done, failed], jobs: { 'job-0': failed, 'job-2': done } });
    renderPage();

    const items = await screen.findAllByTestId('past-import');
    expect(items.map((li) => li.getAttribute('data-state'))).toEqual(['done', 'failed']);
    expect(items[0]).toHaveTextContent('3 imported, 0 merged, 0 duplicates, 0 skipped');
    await userEvent.setup().click(within(items[1]!).getByRole('link'));

    const error = await screen.findByTestId('import-error');
    expect(error).toHaveTextContent('record 1200: the file ends in the middle of a row');
    expect(screen.getByTestId('import-state')).toHaveTextContent('Failed');
    expect(screen.getAllByTestId('past-import')[1]).toHaveAttribute('aria-current', 'true');
  });

  it('reads a job again after a hub reconnect (its messages may have been missed)', async () => {
    const jobs = { 'job-1': running(1) };
    const fetch = serveImports({ jobs });
    const { bus } = renderPage('/accounts/alex/import?job=job-1');
    await waitFor(() => expect(bar()).toHaveAttribute('aria-valuenow', '1'));

    jobs['job-1'] = running(3);
    await act(async () => bus.resync());

    await waitFor(() => expect(bar()).toHaveAttribute('aria-valuenow', '3'));
    expect(calls(fetch).filter((u) => u === '/api/imports/job-1')).toHaveLength(2);
  });

  it('tells a member that they import only into their own account', () => {
    const fetch = serveImports();
    renderPage('/accounts/sam/import');

    expect(screen.getByText(/A member imports only into their own account/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Import into yours' })).toHaveAttribute('href', '/accounts/alex/import');
    expect(screen.queryByTestId('import-dropzone')).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('import helpers', () => {
  it('picks .zip and .json files once each, whatever the case of the extension', () => {
    const a = new File(['x'], 'A.ZIP');
    const b = new File(['{}'], 'b.json');
    const picked = pickFiles([a], [a, b, new File(['x'], 'c.pdf')]);
    expect(picked.files).toEqual([a, b]);
    expect(picked.refused).toEqual(['c.pdf']);
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(5.5 * 1024 * 1024)).toMatch(/^5[.,]5 MB$/);
  });

  it('names what was uploaded: each zip once with its file count, and loose files', () => {
    const files = ['a.zip/History/x.json', 'a.zip/History/y.json', 'StreamingHistory_music_0.json'].map((name) => ({ ...importJob().files[0]!, name }));
    expect(uploadedNames({ files })).toBe('a.zip (2 files), StreamingHistory_music_0.json');
    expect(splitName('a.zip/History/x.json')).toEqual(['a.zip/History/', 'x.json']);
    expect(splitName('x.json')).toEqual(['', 'x.json']);
  });

  it('fills the bar of a finished job of no rows', () => {
    expect(progressOf({ rows: 0, read: 0, state: 'done' })).toEqual({ now: 1, max: 1 });
    expect(progressOf({ rows: 0, read: 0, state: 'queued' })).toEqual({ now: 0, max: 1 });
    expect(progressOf({ rows: 10, read: 4, state: 'running' })).toEqual({ now: 4, max: 10 });
  });
});

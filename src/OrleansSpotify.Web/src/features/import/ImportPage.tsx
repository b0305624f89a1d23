import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Empty, ErrorState, Loading } from '../../components/States';
import { enc, getJson, request } from '../../lib/api';
import { formatDateTime, formatNumber, plural } from '../../lib/format';
import { accountImportsPath, importJobPath, isFinished, isNotOlder, putImportJob } from '../../lib/importJobs';
import { useLive } from '../../lib/live';
import { useApiQuery } from '../../lib/query';
import { useSession } from '../../lib/session';
import type { ImportJobView } from '../../lib/types';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { ImportReport, stateLabels, uploadedNames } from './ImportReport';
import './import.css';

/** What the Host reads: Spotify's exports (the whole zip or the JSON files in it) and this service's json export. */
const acceptedExtensions = ['.zip', '.json'];

/** Splits chosen files into those the Host reads (by name) and those left out; a file chosen twice counts once. */
export function pickFiles(current: File[], added: File[]): { files: File[]; refused: string[] } {
  const files = [...current];
  const refused: string[] = [];
  for (const file of added) {
    if (!acceptedExtensions.some((ext) => file.name.toLowerCase().endsWith(ext))) {
      refused.push(file.name);
    } else if (!files.some((f) => f.name === file.name && f.size === file.size)) {
      files.push(file);
    }
  }
  return { files, refused };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} ${units[unit]}`;
}

/** POSTs the files as multipart parts named `files`; the Host answers 202 with the accepted job. */
async function upload(accountId: string, files: File[]): Promise<ImportJobView> {
  const form = new FormData();
  for (const file of files) {
    form.append('files', file, file.name);
  }
  const job = await request<ImportJobView>(accountImportsPath(accountId), { method: 'POST', body: form });
  if (job === null) {
    throw new Error('The server accepted the files but did not answer with the import.');
  }
  return job;
}

function UploadForm({ accountId, onAccepted }: { accountId: string; onAccepted: (job: ImportJobView) => void }) {
  const inputId = useId();
  const hintId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [refused, setRefused] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const mutation = useMutation({
    mutationFn: (chosen: File[]) => upload(accountId, chosen),
    onSuccess: (job) => {
      setFiles([]);
      setRefused([]);
      onAccepted(job);
    },
  });

  const add = (added: FileList | null) => {
    if (!added || added.length === 0) {
      return;
    }
    const picked = pickFiles(files, Array.from(added));
    setFiles(picked.files);
    setRefused(picked.refused);
    mutation.reset();
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    add(event.dataTransfer.files);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (files.length > 0 && !mutation.isPending) {
      mutation.mutate(files);
    }
  };

  const total = files.reduce((sum, f) => sum + f.size, 0);

  return (
    <form className="panel import-upload" onSubmit={onSubmit} aria-labelledby={`${inputId}-title`}>
      <div className="panel-head">
        <h2 id={`${inputId}-title`}>New import</h2>
      </div>
      <div
        className={`dropzone${dragging ? ' is-dragging' : ''}`}
        data-testid="import-dropzone"
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) {
            setDragging(false);
          }
        }}
        onDrop={onDrop}
      >
        <p className="dropzone-title">Drop your Spotify export here</p>
        <p className="muted" id={hintId}>
          The whole <code>my_spotify_data.zip</code>, or the JSON files in it (<code>Streaming_History_Audio_*.json</code>,{' '}
          <code>StreamingHistory_music_*.json</code>), or an OrleansSpotify JSON export.
        </p>
        <label htmlFor={inputId} className="button button-secondary">
          Choose files…
        </label>
        <input
          ref={input}
          id={inputId}
          className="sr-only"
          type="file"
          name="files"
          multiple
          accept=".zip,.json,application/zip,application/json"
          aria-describedby={hintId}
          data-testid="import-input"
          onChange={(e) => {
            add(e.currentTarget.files);
            // Choosing the same file again after removing it fires a change again.
            e.currentTarget.value = '';
          }}
        />
      </div>
      {refused.length > 0 ? (
        <p className="form-error" role="alert">
          Left out (not a .zip or .json file): {refused.join(', ')}
        </p>
      ) : null}
      {files.length > 0 ? (
        <ul className="import-chosen" aria-label="Chosen files">
          {files.map((file) => (
            <li key={`${file.name}:${file.size}`}>
              <span className="import-file-name">{file.name}</span>
              <span className="muted">{formatBytes(file.size)}</span>
              <button
                type="button"
                className="button button-ghost button-small"
                aria-label={`Remove ${file.name}`}
                disabled={mutation.isPending}
                onClick={() => setFiles(files.filter((f) => f !== file))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {mutation.isError ? <ErrorState error={mutation.error} title="The files were not imported" /> : null}
      <div className="import-actions">
        <button type="submit" className="button button-primary" disabled={files.length === 0 || mutation.isPending} data-testid="import-submit">
          {mutation.isPending ? `Uploading ${formatBytes(total)}…` : files.length > 0 ? `Import ${plural(files.length, 'file')}` : 'Import'}
        </button>
        {mutation.isPending ? <span className="spinner" aria-hidden="true" /> : null}
        <p className="fine-print">
          Request your data at Spotify’s <em>Account privacy</em> page; the extended streaming history has every play since your account was created. The
          import asks Spotify nothing, and importing the same files again adds nothing twice.
        </p>
      </div>
    </form>
  );
}

/**
 * A job, kept current: the hub's importProgress messages put each new view into this query's cache entry (see
 * lib/liveCache.ts), and it is read again after a reconnect. While the hub is not connected, an unfinished job is
 * asked for every 2 seconds instead.
 */
function useImportJob(jobId: string | null) {
  const { status } = useLive();
  const client = useQueryClient();
  return useQuery({
    queryKey: [jobId ? importJobPath(jobId) : null],
    enabled: jobId !== null,
    queryFn: async ({ signal }) => {
      const job = await getJson<ImportJobView>(importJobPath(jobId ?? ''), signal);
      // A message may have brought a newer view while this was in flight: keep that one.
      const current = client.getQueryData<ImportJobView>([importJobPath(job.id)]);
      return isNotOlder(job, current) ? job : (current ?? job);
    },
    refetchInterval: (query) => (status !== 'live' && query.state.data && !isFinished(query.state.data) ? 2_000 : false),
  });
}

function PastImports({ accountId, shown }: { accountId: string; shown: string | null }) {
  const list = useApiQuery<ImportJobView[]>(accountImportsPath(accountId));
  return (
    <section className="panel" aria-labelledby="past-imports" data-testid="past-imports">
      <div className="panel-head">
        <h2 id="past-imports">Past imports</h2>
      </div>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} title="Could not load your imports" /> : null}
      {list.data?.length === 0 ? <Empty>No imports yet.</Empty> : null}
      {list.data?.length ? (
        <ul className="plain-list import-history">
          {list.data.map((job) => (
            <li key={job.id} data-testid="past-import" data-state={job.state} aria-current={job.id === shown ? 'true' : undefined}>
              <div className="import-history-head">
                <Link to={`?job=${enc(job.id)}`}>{formatDateTime(job.createdAt)}</Link>
                <span className={`pill pill-import-${job.state}`}>{stateLabels[job.state]}</span>
              </div>
              <span className="muted">
                {uploadedNames(job) || 'No files'} · {formatNumber(job.imported)} imported, {formatNumber(job.merged)} merged,{' '}
                {formatNumber(job.duplicates)} duplicates, {formatNumber(job.skipped)} skipped
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export default function ImportPage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');
  const client = useQueryClient();
  useDocumentTitle('Import');
  const job = useImportJob(jobId);

  if (me && me.id !== id) {
    return (
      <div className="import-page">
        <h1>Import</h1>
        <Empty>
          A member imports only into their own account. <Link to={`/accounts/${enc(me.id)}/import`}>Import into yours</Link>.
        </Empty>
      </div>
    );
  }

  return (
    <div className="import-page">
      <div className="page-head">
        <div>
          <p className="eyebrow">Your listening history</p>
          <h1>Import</h1>
        </div>
        <nav className="tabs" aria-label="Account pages">
          <Link to={`/accounts/${enc(id)}`}>Stats</Link>
          <Link to={`/accounts/${enc(id)}/history`}>History</Link>
          <Link to={`/accounts/${enc(id)}/import`} aria-current="page">
            Import
          </Link>
        </nav>
      </div>
      <UploadForm
        accountId={id}
        onAccepted={(accepted) => {
          putImportJob(client, accepted);
          setParams({ job: accepted.id });
        }}
      />
      {jobId ? (
        <>
          {job.isPending ? <Loading label="Loading the import…" /> : null}
          {job.isError ? <ErrorState error={job.error} onRetry={() => void job.refetch()} title="Could not load this import" /> : null}
          {job.data ? <ImportReport job={job.data} /> : null}
        </>
      ) : null}
      <PastImports accountId={id} shown={jobId} />
    </div>
  );
}

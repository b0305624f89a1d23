import { useId } from 'react';
import { formatDateTime, formatDuration, formatNumber, plural } from '../../lib/format';
import type { ImportCounts, ImportFormatName, ImportJobView } from '../../lib/types';

export const stateLabels: Record<ImportJobView['state'], string> = {
  queued: 'Queued',
  running: 'Importing',
  done: 'Done',
  failed: 'Failed',
};

export const formatLabels: Record<ImportFormatName, string> = {
  'extended-history': 'Extended streaming history',
  'account-data': 'Account data',
  'orleans-spotify': 'OrleansSpotify export',
};

/**
 * How far a job is, in rows: `read` (committed so far) of `rows`. A job of no rows at all is at its end once
 * finished, so the bar of a finished job is always full.
 */
export function progressOf(job: Pick<ImportJobView, 'rows' | 'read' | 'state'>): { now: number; max: number } {
  if (job.rows <= 0) {
    return { now: job.state === 'done' ? 1 : 0, max: 1 };
  }
  return { now: Math.min(job.read, job.rows), max: job.rows };
}

/** One line on where the job is, for the live region under the bar. */
export function statusLine(job: ImportJobView): string {
  switch (job.state) {
    case 'queued':
      return `Waiting to start: ${plural(job.rows, 'row')} to read.`;
    case 'running':
      return `Importing: ${formatNumber(job.read)} of ${plural(job.rows, 'row')} read.`;
    case 'done': {
      const took = job.startedAt && job.finishedAt ? Date.parse(job.finishedAt) - Date.parse(job.startedAt) : null;
      const time = took === null || took < 0 ? '' : took < 1000 ? ' in under a second' : ` in ${formatDuration(took)}`;
      return `Done: ${plural(job.read, 'row')} read${time}.`;
    }
    case 'failed':
      return `Stopped after ${formatNumber(job.read)} of ${plural(job.rows, 'row')}. What was read before stays; importing the same files again adds nothing twice.`;
  }
}

export function ImportProgress({ job }: { job: ImportJobView }) {
  const { now, max } = progressOf(job);
  const percent = max > 0 ? (now / max) * 100 : 0;
  return (
    <div className={`import-progress import-progress-${job.state}`}>
      <div
        className="import-progress-track"
        role="progressbar"
        aria-label="Rows imported"
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={now}
        aria-valuetext={`${formatNumber(job.read)} of ${plural(job.rows, 'row')}`}
        data-testid="import-progress"
      >
        <div className="import-progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

function SkipReasons({ counts }: { counts: Record<string, number> }) {
  const reasons = Object.entries(counts).filter(([, n]) => n > 0);
  if (reasons.length === 0) {
    return null;
  }
  return (
    <ul className="import-reasons">
      {reasons.map(([reason, n]) => (
        <li key={reason}>
          {reason}: {formatNumber(n)}
        </li>
      ))}
    </ul>
  );
}

/** 'a.zip/folder/x.json' → ['a.zip/folder/', 'x.json']: the file's own name, and where it came from. */
export function splitName(name: string): [string, string] {
  const slash = name.lastIndexOf('/');
  return slash >= 0 && slash < name.length - 1 ? [name.slice(0, slash + 1), name.slice(slash + 1)] : ['', name];
}

/** What a member uploaded, from a job's files: each zip once ('a.zip (3 files)'), and the loose files. */
export function uploadedNames(job: Pick<ImportJobView, 'files'>): string {
  const uploads = new Map<string, number>();
  for (const file of job.files) {
    const zip = /^(.+?\.zip)\//i.exec(file.name)?.[1];
    const key = zip ?? file.name;
    uploads.set(key, (uploads.get(key) ?? 0) + 1);
  }
  return [...uploads].map(([name, count]) => (/\.zip$/i.test(name) ? `${name} (${plural(count, 'file')})` : name)).join(', ');
}

const countColumns = [
  ['imported', 'Imported'],
  ['merged', 'Merged'],
  ['duplicates', 'Duplicates'],
  ['skipped', 'Skipped'],
] as const satisfies readonly (readonly [keyof ImportCounts, string])[];

/** The totals of a job as tiles: rows read, new plays, merged with polled plays, already there, left out. */
function CountTiles({ job }: { job: ImportJobView }) {
  const tiles = [
    { key: 'read', label: 'Rows read', value: `${formatNumber(job.read)}`, note: `of ${formatNumber(job.rows)}` },
    { key: 'imported', label: 'Imported', value: formatNumber(job.imported), note: 'new plays' },
    { key: 'merged', label: 'Merged', value: formatNumber(job.merged), note: 'with recorded plays' },
    { key: 'duplicates', label: 'Duplicates', value: formatNumber(job.duplicates), note: 'already stored' },
    { key: 'skipped', label: 'Skipped', value: formatNumber(job.skipped), note: 'left out' },
  ];
  return (
    <dl className="tiles tiles-compact import-tiles" data-testid="import-counts">
      {tiles.map((tile) => (
        <div key={tile.key} className="tile" data-count={tile.key}>
          <dt>{tile.label}</dt>
          <dd>
            {tile.value}
            <span className="tile-note">{tile.note}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function FileTable({ job }: { job: ImportJobView }) {
  const captionId = useId();
  return (
    <div className="import-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="import-files" data-testid="import-files">
        <caption id={captionId} className="list-title">
          Files
        </caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col" className="num">
              Read
            </th>
            {countColumns.map(([key, label]) => (
              <th key={key} scope="col" className="num">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {job.files.map((file) => (
            <tr key={file.name} data-testid="import-file">
              <th scope="row">
                {splitName(file.name)[0] ? <span className="import-file-folder">{splitName(file.name)[0]}</span> : null}
                <span className="import-file-name">{splitName(file.name)[1]}</span>
                <span className="import-file-format">{formatLabels[file.format] ?? file.format}</span>
                <SkipReasons counts={file.skippedByReason} />
              </th>
              <td className="num" data-label="Read">
                {formatNumber(file.read)} / {formatNumber(file.rows)}
              </td>
              {countColumns.map(([key, label]) => (
                <td key={key} className="num" data-count={key} data-label={label}>
                  {formatNumber(file[key] as number)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A job: its bar, where it is, its error, its counts (in total and per file) and the zip entries left out. */
export function ImportReport({ job, title }: { job: ImportJobView; title?: string }) {
  const headingId = useId();
  const finished = job.state === 'done' || job.state === 'failed';
  return (
    <section className="panel import-job" data-testid="import-job" data-state={job.state} aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 id={headingId}>{title ?? `Import of ${formatDateTime(job.createdAt)}`}</h2>
        <span className={`pill pill-import-${job.state}`} data-testid="import-state">
          {stateLabels[job.state]}
        </span>
      </div>
      <ImportProgress job={job} />
      <p className="import-status" role="status" aria-live="polite">
        {statusLine(job)}
      </p>
      {job.state === 'failed' && job.error ? (
        <div className="state state-error" role="alert" data-testid="import-error">
          <p className="state-title">The import stopped</p>
          <p>{job.error}</p>
        </div>
      ) : null}
      <CountTiles job={job} />
      {finished && job.skipped > 0 ? (
        <>
          <p className="list-title">Skipped rows</p>
          <SkipReasons counts={job.skippedByReason} />
        </>
      ) : null}
      {job.files.length > 0 ? <FileTable job={job} /> : null}
      {job.skippedEntries.length > 0 ? (
        <details className="import-entries" data-testid="import-skipped-entries">
          <summary>{plural(job.skippedEntries.length, 'entry', 'entries')} of the zip not imported</summary>
          <ul className="plain-list">
            {job.skippedEntries.map((entry) => (
              <li key={entry.name}>
                <span className="import-file-name">{entry.name}</span>
                <span className="muted">{entry.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

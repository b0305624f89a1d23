import { appUrl } from '../../lib/base';

const formats = [
  { format: 'csv', label: 'CSV' },
  { format: 'json', label: 'JSON' },
  { format: 'listenbrainz', label: 'ListenBrainz' },
] as const;

/**
 * Download links for an export (`/api/accounts/{id}/export` or `/api/household/export`) in each format. Plain links:
 * the browser streams the file to disk with the name the Host's Content-Disposition gives.
 */
export function ExportLinks({ path, label }: { path: string; label: string }) {
  return (
    <p className="account-links export-links" role="group" aria-label={label}>
      <span className="muted">{label}:</span>
      {formats.map(({ format, label: name }) => (
        <a key={format} href={appUrl(`${path}?format=${format}`)} download>
          {name}
        </a>
      ))}
    </p>
  );
}

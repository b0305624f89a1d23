import { useId, useState, type FormEvent } from 'react';
import { CopyButton } from '../../components/CopyButton';
import { Empty, ErrorState, Loading } from '../../components/States';
import { enc, errorText, sendJson, withQuery } from '../../lib/api';
import { formatDate, formatRelative } from '../../lib/format';
import type { CreatedShareTokenView, ShareTokenView } from '../../lib/types';
import { useApiQuery } from '../../lib/query';

type EmbedTheme = 'auto' | 'light' | 'dark';

export interface EmbedOptions {
  theme: EmbedTheme;
  transparent: boolean;
  recent: boolean;
}

/** The snippets for a new token: absolute URLs for this site, with the chosen page options. */
export function embedSnippets(created: Pick<CreatedShareTokenView, 'embedUrl' | 'svgUrl' | 'label'>, origin: string, options: EmbedOptions) {
  const page = withQuery(new URL(created.embedUrl, origin).href, {
    theme: options.theme === 'auto' ? undefined : options.theme,
    transparent: options.transparent ? 1 : undefined,
    recent: options.recent ? 1 : undefined,
  });
  const svg = new URL(created.svgUrl, origin).href;
  const height = options.recent ? 440 : 160;
  const title = `Now playing (${created.label})`.replace(/"/g, '&quot;');
  return {
    page,
    svg,
    iframe: `<iframe src="${page}" width="420" height="${height}" style="border:0;border-radius:12px" title="${title}" loading="lazy"></iframe>`,
    markdown: `[![Now playing](${svg})](${page})`,
  };
}

function Snippet({ label, value }: { label: string; value: string }) {
  const id = useId();
  return (
    <div className="snippet">
      <label htmlFor={id}>{label}</label>
      <div className="snippet-row">
        <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={value} label={label.toLowerCase()} />
      </div>
    </div>
  );
}

function CreatedToken({ created, onDone }: { created: CreatedShareTokenView; onDone: () => void }) {
  const [options, setOptions] = useState<EmbedOptions>({ theme: 'auto', transparent: false, recent: created.includeRecent });
  const snippets = embedSnippets(created, window.location.origin, options);
  return (
    <div className="created-token" role="region" aria-label={`New share link ${created.label}`}>
      <p className="created-title">
        <strong>“{created.label}” is ready.</strong> These links are shown only now: copy what you need. Anyone with them sees what you
        play{created.includeRecent ? ' and your latest plays' : ''}, nothing else.
      </p>
      <fieldset className="embed-options">
        <legend>Embed options</legend>
        <label>
          Theme{' '}
          <select value={options.theme} onChange={(e) => setOptions({ ...options, theme: e.target.value as EmbedTheme })}>
            <option value="auto">Follow the viewer</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={options.transparent} onChange={(e) => setOptions({ ...options, transparent: e.target.checked })} />
          Transparent background
        </label>
        {created.includeRecent ? (
          <label className="check">
            <input type="checkbox" checked={options.recent} onChange={(e) => setOptions({ ...options, recent: e.target.checked })} />
            Show recent plays
          </label>
        ) : null}
      </fieldset>
      <Snippet label="Embed URL" value={snippets.page} />
      <Snippet label="iframe" value={snippets.iframe} />
      <Snippet label="SVG URL" value={snippets.svg} />
      <Snippet label="Markdown" value={snippets.markdown} />
      <p>
        <a href={snippets.page} target="_blank" rel="noreferrer">
          Open the embed page
        </a>{' '}
        ·{' '}
        <button type="button" className="link-button" onClick={onDone}>
          Done
        </button>
      </p>
    </div>
  );
}

function TokenRow({ token, now, onRevoked }: { token: ShareTokenView; now: number; onRevoked: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoke = () => {
    setBusy(true);
    setError(null);
    sendJson('DELETE', `/api/me/share-tokens/${enc(token.id)}`).then(onRevoked, (e: unknown) => {
      setBusy(false);
      setError(errorText(e));
    });
  };
  return (
    <li className="token-row" data-testid="share-token">
      <div className="token-text">
        <span className="token-label">{token.label}</span>
        <span className="muted">
          …{token.hint} · created {formatDate(token.createdAt)} · {token.lastUsedAt ? `last used ${formatRelative(token.lastUsedAt, now)}` : 'never used'}
          {token.includeRecent ? ' · shows recent plays' : ''}
        </span>
        {error ? (
          <span className="form-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
      {confirming ? (
        <div className="token-actions">
          <button type="button" className="button button-danger button-small" disabled={busy} onClick={revoke}>
            {busy ? 'Revoking…' : 'Revoke now'}
          </button>
          <button type="button" className="button button-ghost button-small" disabled={busy} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="button button-secondary button-small" onClick={() => setConfirming(true)} aria-label={`Revoke ${token.label}`}>
          Revoke
        </button>
      )}
    </li>
  );
}

/** The signed-in member's share links for the now-playing embed: create (shown once), list, revoke. */
export function ShareTokens({ now }: { now: number }) {
  const tokens = useApiQuery<ShareTokenView[]>('/api/me/share-tokens');
  const reload = () => void tokens.refetch();
  const [label, setLabel] = useState('');
  const [includeRecent, setIncludeRecent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedShareTokenView | null>(null);

  const create = (event: FormEvent) => {
    event.preventDefault();
    const value = label.trim();
    if (!value) {
      setError('Give the link a name, e.g. “Blog sidebar”.');
      return;
    }
    setBusy(true);
    setError(null);
    sendJson<CreatedShareTokenView>('POST', '/api/me/share-tokens', { label: value, includeRecent }).then(
      (result) => {
        setBusy(false);
        setCreated(result);
        setLabel('');
        setIncludeRecent(false);
        reload();
      },
      (e: unknown) => {
        setBusy(false);
        setError(errorText(e));
      },
    );
  };

  const list = tokens.data;
  return (
    <section className="panel" data-testid="share-tokens" aria-labelledby="share-heading">
      <div className="panel-head">
        <h2 id="share-heading">Share what you play</h2>
      </div>
      <p className="muted">
        A share link shows your now-playing card (and, if you choose, your latest plays) on a web page or README, without signing in. It reads
        nothing else and stops working the moment you revoke it.
      </p>
      <form className="token-form" onSubmit={create}>
        <div className="field">
          <label htmlFor="token-label">Name</label>
          <input id="token-label" value={label} maxLength={60} placeholder="e.g. Blog sidebar" onChange={(e) => setLabel(e.target.value)} />
        </div>
        <label className="check">
          <input type="checkbox" checked={includeRecent} onChange={(e) => setIncludeRecent(e.target.checked)} />
          Include my recent plays
        </label>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create share link'}
        </button>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      {created ? <CreatedToken created={created} onDone={() => setCreated(null)} /> : null}
      <h3 className="list-title">Your links</h3>
      {tokens.isError ? <ErrorState error={tokens.error} onRetry={reload} title="Could not load your share links" /> : null}
      {tokens.isPending ? <Loading /> : null}
      {list?.length === 0 ? <Empty>No share links yet.</Empty> : null}
      {list?.length ? (
        <ul className="token-list">
          {list.map((token) => (
            <TokenRow
              key={token.id}
              token={token}
              now={now}
              onRevoked={() => {
                if (created?.id === token.id) {
                  setCreated(null);
                }
                reload();
              }}
            />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

import { useMemo, useState } from 'react';
import { errorText, sendJson } from '../../lib/api';
import type { AccountView } from '../../lib/types';

function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; text: string } | { kind: 'error'; text: string };

function SaveMessage({ state }: { state: SaveState }) {
  return (
    <span className={state.kind === 'error' ? 'form-error' : 'form-ok'} role="status">
      {state.kind === 'saved' || state.kind === 'error' ? state.text : ''}
    </span>
  );
}

/** The signed-in member's own choices: sharing their stats with the household, and the zone their days count in. */
export function MySettings({ account, onChanged }: { account: AccountView; onChanged: (account: AccountView) => void }) {
  const [sharing, setSharing] = useState<SaveState>({ kind: 'idle' });
  const [zone, setZone] = useState(browserZone);
  const [zoneState, setZoneState] = useState<SaveState>({ kind: 'idle' });
  const zoneList = useMemo(() => zones(zone), [zone]);

  const toggleSharing = (share: boolean) => {
    setSharing({ kind: 'saving' });
    sendJson('PUT', '/api/me/sharing', { shareStats: share }).then(
      () => {
        onChanged({ ...account, shareStats: share });
        setSharing({ kind: 'saved', text: share ? 'Your stats are shared with the household.' : 'Your stats are private now.' });
      },
      (e: unknown) => setSharing({ kind: 'error', text: errorText(e) }),
    );
  };

  const saveZone = () => {
    setZoneState({ kind: 'saving' });
    sendJson('PUT', '/api/me/time-zone', { timeZone: zone }).then(
      () => setZoneState({ kind: 'saved', text: `Saved: your days and hours are counted in ${zone}.` }),
      (e: unknown) => setZoneState({ kind: 'error', text: errorText(e) }),
    );
  };

  return (
    <section className="panel settings" aria-labelledby="settings-heading">
      <div className="panel-head">
        <h2 id="settings-heading">Your settings</h2>
      </div>
      <div className="setting">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={account.shareStats}
            disabled={sharing.kind === 'saving'}
            onChange={(e) => toggleSharing(e.target.checked)}
          />
          <span className="switch-track" aria-hidden="true" />
          <span>Share my stats with the household</span>
        </label>
        <p className="muted">When off, only you see your stats and history, and you are left out of household stats.</p>
        <SaveMessage state={sharing} />
      </div>
      <div className="setting">
        <label htmlFor="time-zone">Time zone for your stats</label>
        <div className="inline-form">
          <select id="time-zone" value={zone} onChange={(e) => setZone(e.target.value)}>
            {zoneList.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
          <button type="button" className="button button-secondary" disabled={zoneState.kind === 'saving'} onClick={saveZone}>
            {zoneState.kind === 'saving' ? 'Saving…' : 'Save'}
          </button>
        </div>
        <p className="muted">Days, weekdays and hours in your stats are counted in this zone. This browser is in {browserZone()}.</p>
        <SaveMessage state={zoneState} />
      </div>
    </section>
  );
}

import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs` while `active` (a paused card needs no ticking). */
export function useNow(intervalMs: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = () => setNow(Date.now());
    // Once at once (a card that stops ticking shows the time it stopped), then every intervalMs while active.
    const first = setTimeout(tick, 0);
    const timer = active ? setInterval(tick, intervalMs) : undefined;
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [intervalMs, active]);
  return now;
}

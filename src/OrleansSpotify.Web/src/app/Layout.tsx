import { useEffect, useRef, type ReactNode } from 'react';
import { Link, NavLink, useLocation } from 'react-router';
import { ConnectionStatus } from '../components/ConnectionStatus';
import { ThemeToggle } from '../components/ThemeToggle';
import { appUrl } from '../lib/base';
import { useSession } from '../lib/session';

/** The page shell: skip link, header with navigation and status, the main landmark. */
export function Layout({ children }: { children: ReactNode }) {
  const { info, me } = useSession();
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const shown = useRef(pathname);
  // After a client-side navigation, move focus to the new page (as a full page load would) for keyboard and
  // screen-reader users; not on the first render, and not for ?query changes within a page.
  useEffect(() => {
    if (shown.current !== pathname) {
      shown.current = pathname;
      main.current?.focus();
    }
  }, [pathname]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <span className="brand-text">OrleansSpotify</span>
          </Link>
          {info?.demo ? (
            <span className="badge-demo" data-testid="demo-badge" title="This server runs on simulated Spotify data">
              Demo data
            </span>
          ) : null}
          {me ? (
            <nav className="site-nav" aria-label="Main">
              <NavLink to="/" end>
                Overview
              </NavLink>
              <NavLink to={`/accounts/${encodeURIComponent(me.id)}`} end>
                My stats
              </NavLink>
              <NavLink to="/household" end>
                Household
              </NavLink>
              <NavLink to="/accounts" end>
                Accounts
              </NavLink>
            </nav>
          ) : null}
          <div className="site-tools">
            <ConnectionStatus />
            <ThemeToggle />
            {me ? (
              <form method="post" action={appUrl('/auth/logout')} className="signout">
                <button type="submit" className="button button-ghost button-small" title={`Signed in as ${me.displayName}`}>
                  Sign out
                </button>
              </form>
            ) : null}
          </div>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="site-main">
        {children}
      </main>
      <footer className="site-footer">
        <p>
          OrleansSpotify {info ? `v${info.version}` : ''} · self-hosted play recorder ·{' '}
          <a href={appUrl('/openapi/v1.json')}>API</a>
        </p>
      </footer>
    </>
  );
}

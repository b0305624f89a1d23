import { appUrl } from '../../lib/base';
import { useDocumentTitle } from '../../lib/useDocumentTitle';

/** Shown to anyone who is not signed in (GET /api/me answered 401). */
export function WelcomePage({ signInError }: { signInError: string | null }) {
  useDocumentTitle('Welcome');
  return (
    <section className="welcome" aria-labelledby="welcome-heading">
      <div className="welcome-art" aria-hidden="true">
        <span />
        <span />
        <span />
        <span />
        <span />
      </div>
      <h1 id="welcome-heading">Your household's listening, recorded</h1>
      <p className="welcome-lead">
        OrleansSpotify keeps every play of every household member, shows what everyone is playing right now, and turns
        years of listening into stats you own.
      </p>
      {signInError ? (
        <p className="state state-error" role="alert">
          Sign-in was not completed: {signInError}
        </p>
      ) : null}
      <a className="button button-primary button-large" href={appUrl('/auth/login')} data-testid="sign-in">
        Sign in with Spotify
      </a>
      <p className="welcome-note">Read-only access: what is playing and what was played. Nothing else.</p>
    </section>
  );
}

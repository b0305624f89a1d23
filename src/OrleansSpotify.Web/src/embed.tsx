// The embed card's entry: no router, no charts — only what the card needs.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EmbedPage, tokenFromPath } from './features/embed/EmbedPage';
import { applyTheme, systemTheme } from './lib/theme';
import './styles/embed.css';

const params = new URLSearchParams(window.location.search);
const theme = params.get('theme');
applyTheme(theme === 'light' || theme === 'dark' ? theme : systemTheme());
if (params.get('transparent') === '1') {
  document.documentElement.classList.add('transparent');
}

const token = tokenFromPath(window.location.pathname);
const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    {token ? (
      <EmbedPage token={token} showRecent={params.get('recent') === '1'} />
    ) : (
      <div className="embed-card embed-message embed-error" data-testid="embed-error" role="alert">
        <strong>This share link is not valid.</strong>
        <span>The address has no token.</span>
      </div>
    )}
  </StrictMode>,
);

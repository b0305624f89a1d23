import { Link } from 'react-router';
import { useDocumentTitle } from '../lib/useDocumentTitle';

export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <section className="state state-empty" aria-labelledby="nf-heading">
      <h1 id="nf-heading">Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Back to the overview</Link>.
      </p>
    </section>
  );
}

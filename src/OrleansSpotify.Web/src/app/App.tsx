import { QueryClientProvider, useQuery, type QueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, Route, Routes, useLocation } from 'react-router';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { ErrorState, Loading } from '../components/States';
import { OverviewPage } from '../features/overview/OverviewPage';
import { WelcomePage } from '../features/welcome/WelcomePage';
import { ApiError, getJson } from '../lib/api';
import { basePath } from '../lib/base';
import { LiveProvider } from '../lib/live';
import { LiveCache } from '../lib/liveCache';
import { createQueryClient } from '../lib/query';
import { SessionContext, type Session } from '../lib/session';
import type { InfoView, MemberView } from '../lib/types';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';

// The overview is the first page and stays small; the other pages (and the chart library) load when visited.
const DashboardPage = lazy(() => import('../features/dashboard/DashboardPage'));
const HistoryPage = lazy(() => import('../features/history/HistoryPage'));
const AccountsPage = lazy(() => import('../features/accounts/AccountsPage'));
const HouseholdPage = lazy(() => import('../features/household/HouseholdPage'));
const ImportPage = lazy(() => import('../features/import/ImportPage'));

async function loadSession(): Promise<Session> {
  const infoPromise = getJson<InfoView>('/api/info').catch(() => null);
  let me: MemberView | null = null;
  try {
    me = await getJson<MemberView>('/api/me');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      throw error;
    }
  }
  return { info: await infoPromise, me };
}

function Pages() {
  const location = useLocation();
  // A new address gets a fresh boundary, so an error on one page does not stick to the next.
  return (
    <ErrorBoundary key={location.pathname}>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/household" element={<HouseholdPage />} />
          <Route path="/accounts" element={<AccountsPage />} />
          <Route path="/accounts/:id" element={<DashboardPage />} />
          <Route path="/accounts/:id/history" element={<HistoryPage />} />
          <Route path="/accounts/:id/import" element={<ImportPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </ErrorBoundary>
  );
}

const signedOut: Session = { info: null, me: null };

/** The app; one query client for the page (a test may hand in its own). */
export function App({ queryClient }: { queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <Shell />
    </QueryClientProvider>
  );
}

function Shell() {
  const sessionQuery = useQuery({ queryKey: ['session'], queryFn: loadSession, staleTime: Number.POSITIVE_INFINITY });
  const session = sessionQuery.data ?? signedOut;
  const signInError = new URLSearchParams(window.location.search).get('signin_error');

  return (
    <SessionContext.Provider value={session}>
      <LiveProvider enabled={session.me !== null}>
        <BrowserRouter basename={basePath() || '/'}>
          <Layout>
            {sessionQuery.isPending || (sessionQuery.isError && sessionQuery.isFetching) ? <Loading /> : null}
            {sessionQuery.isError && !sessionQuery.isFetching ? (
              <ErrorState error={sessionQuery.error} onRetry={() => void sessionQuery.refetch()} title="Could not reach OrleansSpotify" />
            ) : null}
            {sessionQuery.isSuccess && session.me === null ? <WelcomePage signInError={signInError} /> : null}
            {sessionQuery.isSuccess && session.me !== null ? (
              <>
                <LiveCache />
                <Pages />
              </>
            ) : null}
          </Layout>
        </BrowserRouter>
      </LiveProvider>
    </SessionContext.Provider>
  );
}

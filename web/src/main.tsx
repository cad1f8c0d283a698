import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError } from './api/client.ts';
import { App, preloadPage } from './app.tsx';
import { traceLogsQuery, traceTreeQuery } from './features/trace/use-trace.ts';
import { applyTheme, readTheme } from './components/theme-toggle.tsx';
import './styles.css';

applyTheme(readTheme());

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; an unreachable server or a 503 may.
      retry: (count, error) => count < 3 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

// A pasted /trace/<id> link: fetch the trace while the page's code loads and
// React starts, instead of after (the waterfall's time to first row, bench:ui).
const traceLink = /^\/trace\/([0-9a-fA-F]{32})$/.exec(location.pathname);
if (traceLink !== null) {
  const traceId = traceLink[1]!.toLowerCase();
  void queryClient.prefetchQuery(traceTreeQuery(traceId));
  void queryClient.prefetchQuery(traceLogsQuery(traceId));
}
preloadPage(location.pathname);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);

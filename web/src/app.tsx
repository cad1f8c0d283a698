import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes, useLocation } from 'react-router';
import { Loading } from './components/state-views.tsx';
import { ThemeToggle } from './components/theme-toggle.tsx';
import { LogsPage } from './features/logs/logs-page.tsx';
import { OperationsPage } from './features/services/operations-page.tsx';
import { ServicesPage } from './features/services/services-page.tsx';
import { SetupPage } from './features/setup/setup-page.tsx';
import { SearchPage } from './features/traces/search-page.tsx';

// The trace page (waterfall, virtualizer, span details) is its own chunk: the
// first page a user opens stays small (bench:ui measures it), and a pasted
// /trace/<id> link loads it straight away.
const TracePage = lazy(async () => ({ default: (await import('./features/trace/trace-page.tsx')).TracePage }));

export function App() {
  const location = useLocation();
  // Links between pages keep the time range.
  const range = new URLSearchParams(location.search);
  const keep = new URLSearchParams();
  for (const name of ['range', 'from', 'to']) {
    const value = range.get(name);
    if (value !== null) keep.set(name, value);
  }
  const suffix = keep.toString() === '' ? '' : `?${keep.toString()}`;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="top-nav" aria-label="Main">
        <span className="brand">Tracehouse</span>
        <NavLink to={`/${suffix}`} end>
          Services
        </NavLink>
        <NavLink to={`/traces${suffix}`}>Traces</NavLink>
        <NavLink to={`/logs${suffix}`}>Logs</NavLink>
        <NavLink to="/setup">Send data</NavLink>
        <span className="spacer" />
        <ThemeToggle />
      </nav>
      <main id="main">
        <Suspense fallback={<Loading what="the page" />}>
          <Routes>
            <Route path="/" element={<ServicesPage />} />
            <Route path="/services/:service" element={<OperationsPage />} />
            <Route path="/traces" element={<SearchPage />} />
            <Route path="/trace/:traceId" element={<TracePage />} />
            <Route path="/logs" element={<LogsPage />} />
            <Route path="/setup" element={<SetupPage />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}

function NotFound() {
  return (
    <div className="page state" role="alert">
      <strong>No page here.</strong> Use the links above: Services, Traces, Logs.
    </div>
  );
}

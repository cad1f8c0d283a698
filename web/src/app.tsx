import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes, useLocation } from 'react-router';
import { Loading } from './components/state-views.tsx';
import { ThemeToggle } from './components/theme-toggle.tsx';
import { AuthGate } from './features/auth/auth-gate.tsx';
import { UserMenu } from './features/auth/user-menu.tsx';

// Each page is its own chunk: the first page loads only the shell and its own
// code (bench:ui measures it), and a pasted /trace/<id> link does not wait for
// the chart library the other pages use. main.tsx starts the current page's
// chunk before React renders.
const loaders = {
  services: () => import('./features/services/services-page.tsx'),
  operations: () => import('./features/services/operations-page.tsx'),
  traces: () => import('./features/traces/search-page.tsx'),
  trace: () => import('./features/trace/trace-page.tsx'),
  logs: () => import('./features/logs/logs-page.tsx'),
  setup: () => import('./features/setup/setup-page.tsx'),
  setupCheck: () => import('./features/setup-check/setup-check-page.tsx'),
  analysis: () => import('./features/analysis/analysis-page.tsx'),
  metrics: () => import('./features/metrics/metrics-page.tsx'),
  tokens: () => import('./features/auth/tokens-page.tsx'),
};
const ServicesPage = lazy(async () => ({ default: (await loaders.services()).ServicesPage }));
const OperationsPage = lazy(async () => ({ default: (await loaders.operations()).OperationsPage }));
const SearchPage = lazy(async () => ({ default: (await loaders.traces()).SearchPage }));
const TracePage = lazy(async () => ({ default: (await loaders.trace()).TracePage }));
const LogsPage = lazy(async () => ({ default: (await loaders.logs()).LogsPage }));
const SetupPage = lazy(async () => ({ default: (await loaders.setup()).SetupPage }));
const SetupCheckPage = lazy(async () => ({ default: (await loaders.setupCheck()).SetupCheckPage }));
const AnalysisPage = lazy(async () => ({ default: (await loaders.analysis()).AnalysisPage }));
const MetricsPage = lazy(async () => ({ default: (await loaders.metrics()).MetricsPage }));
const TokensPage = lazy(async () => ({ default: (await loaders.tokens()).TokensPage }));

export function preloadPage(pathname: string): void {
  const first = pathname.split('/')[1] ?? '';
  const loader =
    first === '' ? loaders.services
    : first === 'services' ? loaders.operations
    : first === 'traces' ? loaders.traces
    : first === 'trace' ? loaders.trace
    : first === 'logs' ? loaders.logs
    : first === 'setup' ? loaders.setup
    : first === 'setup-check' ? loaders.setupCheck
    : first === 'analysis' ? loaders.analysis
    : first === 'explore' ? loaders.metrics
    : undefined;
  void loader?.();
}

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
    <AuthGate>
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
        {/* Not /metrics: that path is this server's own Prometheus exposition. */}
        <NavLink to={`/explore/metrics${suffix}`}>Metrics</NavLink>
        <NavLink to={`/setup-check${suffix}`}>Setup check</NavLink>
        <NavLink to="/setup">Send data</NavLink>
        <span className="spacer" />
        <UserMenu />
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
            <Route path="/setup-check" element={<SetupCheckPage />} />
            <Route path="/analysis" element={<AnalysisPage />} />
            <Route path="/explore/metrics" element={<MetricsPage />} />
            <Route path="/settings/tokens" element={<TokensPage />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </main>
    </AuthGate>
  );
}

function NotFound() {
  return (
    <div className="page state" role="alert">
      <strong>No page here.</strong> Use the links above: Services, Traces, Logs, Metrics.
    </div>
  );
}

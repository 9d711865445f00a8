import { createBrowserRouter, RouterProvider } from 'react-router';
import { Layout } from './components/layout';
import { Empty, Loading } from './components/states';
import { ComparePage } from './pages/compare-page';
import { DatasetDiffPage } from './pages/dataset-diff-page';
import { DatasetExamplePage } from './pages/dataset-example-page';
import { DatasetListPage } from './pages/dataset-list-page';
import { DatasetVersionPage } from './pages/dataset-version-page';
import { AlertPage } from './pages/alert-page';
import { AlertsPage } from './pages/alerts-page';
import { AuditPage } from './pages/audit-page';
import { DecisionPage } from './pages/decision-page';
import { GateDecisionsPage } from './pages/gate-decisions-page';
import { ProjectPicker, ScorecardPage } from './pages/home-page';
import { PlaygroundPage } from './pages/playground-page';
import { ReleaseListPage } from './pages/release-list-page';
import { ReleasePage } from './pages/release-page';
import { JudgesPage } from './pages/judges-page';
import { MonitorsPage } from './pages/monitors-page';
import { OnlineRulePage } from './pages/online-rule-page';
import { OnlineRulesPage } from './pages/online-rules-page';
import { ReviewItemPage } from './pages/review-item-page';
import { ReviewQueuePage } from './pages/review-queue-page';
import { ReviewQueuesPage } from './pages/review-queues-page';
import { RunPage } from './pages/run-page';
import { RunsPage } from './pages/runs-page';
import { SessionPage } from './pages/session-page';
import { SessionsPage } from './pages/sessions-page';
import { SignInPage } from './pages/sign-in-page';
import { TrendsPage } from './pages/trends-page';
import { TracePage } from './pages/trace-page';
import { DatasetCoveragePage } from './pages/dataset-coverage-page';
import { TracesPage } from './pages/traces-page';
import { TriagePage } from './pages/triage-page';
import { SessionGate } from './session/session-context';

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <ProjectPicker /> },
      { path: '/p/:project', element: <ScorecardPage /> },
      { path: '/p/:project/runs', element: <RunsPage /> },
      { path: '/p/:project/runs/:runId', element: <RunPage /> },
      { path: '/p/:project/compare', element: <ComparePage /> },
      { path: '/p/:project/trends', element: <TrendsPage /> },
      { path: '/p/:project/datasets', element: <DatasetListPage /> },
      { path: '/p/:project/datasets/:dataset', element: <DatasetVersionPage /> },
      { path: '/p/:project/datasets/:dataset/diff', element: <DatasetDiffPage /> },
      { path: '/p/:project/datasets/:dataset/examples/:exampleId', element: <DatasetExamplePage /> },
      { path: '/p/:project/datasets/:dataset/coverage', element: <DatasetCoveragePage /> },
      { path: '/p/:project/traces', element: <TracesPage /> },
      { path: '/p/:project/traces/:traceId', element: <TracePage /> },
      { path: '/p/:project/sessions', element: <SessionsPage /> },
      { path: '/p/:project/sessions/:sessionId', element: <SessionPage /> },
      { path: '/p/:project/decisions', element: <GateDecisionsPage /> },
      { path: '/p/:project/decisions/:decisionId', element: <DecisionPage /> },
      { path: '/p/:project/releases', element: <ReleaseListPage /> },
      { path: '/p/:project/releases/:release', element: <ReleasePage /> },
      { path: '/p/:project/playground', element: <PlaygroundPage /> },
      { path: '/p/:project/review', element: <ReviewQueuesPage /> },
      { path: '/p/:project/review/:queue', element: <ReviewQueuePage /> },
      { path: '/p/:project/review/:queue/next', element: <ReviewItemPage /> },
      { path: '/p/:project/judges', element: <JudgesPage /> },
      { path: '/p/:project/alerts', element: <AlertsPage /> },
      { path: '/p/:project/alerts/:alert', element: <AlertPage /> },
      { path: '/p/:project/online', element: <OnlineRulesPage /> },
      { path: '/p/:project/online/:rule', element: <OnlineRulePage /> },
      { path: '/p/:project/monitors', element: <MonitorsPage /> },
      { path: '/p/:project/triage', element: <TriagePage /> },
      { path: '/p/:project/audit', element: <AuditPage /> },
      { path: '*', element: <Empty>No page here. Use the navigation above, or go back to the <a href="/">start</a>.</Empty> },
    ],
  },
]);

/** The UI: signed out, the sign-in page; signed in, the pages. */
export function App() {
  return (
    <SessionGate signedOut={<SignInPage />} loading={<Loading what="EvalOps" />}>
      <RouterProvider router={router} />
    </SessionGate>
  );
}

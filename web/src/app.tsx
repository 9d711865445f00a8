import { createBrowserRouter, RouterProvider } from 'react-router';
import { Layout } from './components/layout';
import { Loading } from './components/states';
import { ProjectPicker, ScorecardPage } from './pages/home-page';
import { RunPage } from './pages/run-page';
import { RunsPage } from './pages/runs-page';
import { SignInPage } from './pages/sign-in-page';
import { SessionGate } from './session/session-context';

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <ProjectPicker /> },
      { path: '/p/:project', element: <ScorecardPage /> },
      { path: '/p/:project/runs', element: <RunsPage /> },
      { path: '/p/:project/runs/:runId', element: <RunPage /> },
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

import { NavLink, Outlet, useParams } from 'react-router';
import { UnresolvedAlertsBadge } from './unresolved-alerts-badge';
import { signOut } from '../api/session';
import { useSession } from '../session/session-context';

/** The frame of every signed-in page: the project's navigation, who is signed in, sign out. */
export function Layout() {
  const { session } = useSession();
  const { project } = useParams();
  const current = project ?? session.project ?? '';
  const links = [
    ['', 'Scorecard'],
    ['runs', 'Runs'],
    ['compare', 'Compare'],
    ['trends', 'Trends'],
    ['datasets', 'Datasets'],
    ['traces', 'Traces'],
    ['sessions', 'Sessions'],
    ['decisions', 'Gate decisions'],
    ['releases', 'Releases'],
    ['playground', 'Playground'],
    ['review', 'Review'],
    ['judges', 'Judges'],
    ['online', 'Online'],
    ['monitors', 'Monitors'],
    ['alerts', 'Alerts'],
    ['audit', 'Audit log'],
  ] as const;
  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">EvalOps</span>
        {current && (
          <nav aria-label="Project">
            <span className="project" title="project">
              {current}
            </span>
            {links.map(([to, label]) => (
              <NavLink key={label} to={`/p/${encodeURIComponent(current)}${to ? `/${to}` : ''}`} end={to === ''}>
                {label}
                {to === 'alerts' && <UnresolvedAlertsBadge project={current} />}
              </NavLink>
            ))}
          </nav>
        )}
        <span className="who">
          {session.actor} · {session.role}
        </span>
        <button
          type="button"
          className="link"
          onClick={async () => {
            await signOut();
            // A fresh page: nothing of the signed-in session stays in memory or refetches.
            window.location.assign('/');
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Link, NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { UnresolvedAlertsBadge } from './unresolved-alerts-badge';
import { api, unwrap } from '../api/client';
import { signOut } from '../api/session';
import { useSession } from '../session/session-context';

/** The project's pages, grouped by the work they serve; paths are relative to `/p/:project`. */
export const NAV_GROUPS = [
  {
    name: 'Evaluate',
    links: [
      ['', 'Scorecard'],
      ['runs', 'Runs'],
      ['compare', 'Compare'],
      ['trends', 'Trends'],
      ['datasets', 'Datasets'],
      ['judges', 'Judges'],
      ['playground', 'Playground'],
    ],
  },
  {
    name: 'Release',
    links: [
      ['decisions', 'Gate decisions'],
      ['releases', 'Releases'],
    ],
  },
  {
    name: 'Production',
    links: [
      ['traces', 'Traces'],
      ['sessions', 'Sessions'],
      ['online', 'Online'],
      ['monitors', 'Monitors'],
      ['alerts', 'Alerts'],
      ['triage', 'Triage'],
    ],
  },
  { name: 'Review', links: [['review', 'Review']] },
  { name: 'Settings', links: [['audit', 'Audit log']] },
] as const;

/** The frame of every signed-in page: the project switcher, its grouped navigation, who is signed in, sign out. */
export function Layout() {
  const { session } = useSession();
  const { project } = useParams();
  const current = project ?? session.project ?? '';
  const base = `/p/${encodeURIComponent(current)}`;
  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <div className="top-line">
          <Link className="brand" to={current ? base : '/'}>
            EvalOps
          </Link>
          {current && <ProjectSwitcher current={current} fixed={session.project !== null} />}
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
        </div>
        {current && (
          <nav aria-label="Project" className="groups">
            {NAV_GROUPS.map((g) => (
              <div key={g.name} className="nav-group" role="group" aria-labelledby={`nav-${g.name}`}>
                <span className="nav-group-name" id={`nav-${g.name}`}>
                  {g.name}
                </span>
                {g.links.map(([to, label]) => (
                  <NavLink key={label} to={`${base}${to ? `/${to}` : ''}`} end={to === ''}>
                    {label}
                    {to === 'alerts' && <UnresolvedAlertsBadge project={current} />}
                  </NavLink>
                ))}
              </div>
            ))}
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/**
 * The project in view; with an instance-wide key, a menu of every project that keeps the section in
 * view (the runs of one project → the runs of another). A project key sees only its project's name.
 */
function ProjectSwitcher({ current, fixed }: { current: string; fixed: boolean }) {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const projects = useQuery({ queryKey: ['projects'], enabled: !fixed, queryFn: async () => unwrap(await api.GET('/projects')) });
  const names = projects.data?.projects.map((p) => p.name) ?? [];
  if (fixed || names.length < 2) {
    return (
      <span className="project" title="project">
        {current}
      </span>
    );
  }
  const section = pathname.split('/')[3] ?? '';
  return (
    <label className="project">
      <span className="visually-hidden">Switch project</span>
      <select value={current} onChange={(e) => navigate(`/p/${encodeURIComponent(e.target.value)}${section ? `/${section}` : ''}`)}>
        {(names.includes(current) ? names : [current, ...names]).map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}

import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useMatch, useNavigate } from 'react-router-dom';
import { LanguageSwitcher } from '../components/language-switcher';
import { OrgAccent } from '../components/org-accent';
import { UnverifiedBanner } from '../features/auth/components/unverified-banner';
import { NotificationBell } from '../features/notifications/components/bell';
import { SearchBox } from '../features/search/components/search-box';
import '../features/search/search.css';
import { useAuth } from '../lib/auth';
import { canCreateOrg } from '../lib/permissions';
import { chosenLanguage } from '../lib/i18n';

export function Layout() {
  const { t, i18n } = useTranslation();
  const { user, signOut, expired } = useAuth();
  const navigate = useNavigate();
  const inOrg = useMatch('/o/:slug/*');
  const onSearchPage = useMatch('/o/:slug/search');
  const slug = inOrg?.params.slug;

  // The profile's language wins unless the visitor picked one on this device.
  useEffect(() => {
    if (user && !chosenLanguage() && user.locale !== i18n.language) void i18n.changeLanguage(user.locale);
  }, [user, i18n]);

  useEffect(() => {
    if (expired) navigate('/login?expired=1');
  }, [expired, navigate]);

  return (
    <>
      {slug && <OrgAccent slug={slug} key={slug} />}
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="site-header">
        <div className="bar">
          <Link to="/" className="brand">
            <img src="/favicon.svg" alt="" width="28" height="28" />
            <span>{t('app.name')}</span>
          </Link>
          <nav aria-label={t('app.name')}>
            <ul>
              <li>
                <NavLink to="/">{t('nav.home')}</NavLink>
              </li>
              {canCreateOrg(user) && (
                <li>
                  <NavLink to="/admin/orgs/new">{t('nav.newOrg')}</NavLink>
                </li>
              )}
              {user ? (
                <>
                  <li>
                    <NotificationBell signedIn={!!user} />
                  </li>
                  <li>
                    <NavLink to="/profile">{user.display_name}</NavLink>
                  </li>
                  <li>
                    <button type="button" className="link" onClick={() => void signOut().then(() => navigate('/'))}>
                      {t('nav.logout')}
                    </button>
                  </li>
                </>
              ) : (
                user === null && (
                  <>
                    <li>
                      <NavLink to="/login">{t('nav.login')}</NavLink>
                    </li>
                    <li>
                      <NavLink to="/register">{t('nav.register')}</NavLink>
                    </li>
                  </>
                )
              )}
            </ul>
          </nav>
          {slug && !onSearchPage && <SearchBox slug={slug} key={slug} />}
          <LanguageSwitcher />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <UnverifiedBanner />
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>
          {t('app.footer')} <a href="/api/docs/">{t('nav.apiDocs')}</a>
        </p>
      </footer>
    </>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('errors.notFoundPage')}</h1>
      <Link to="/">{t('nav.home')}</Link>
    </section>
  );
}

import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { Loading } from './ui';
import { useAuth } from '../lib/auth';
import { canEditOnceKnown } from '../lib/permissions';

/**
 * Renders `children` for the organisation's admins and officials; others are told why not and
 * offered the public page `back` (with its name `backLabel`).
 */
export function StaffOnly({ slug, back, backLabel, children }: { slug: string; back: string; backLabel: string; children: ReactNode }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const staff = canEditOnceKnown(user, slug);
  const location = useLocation();
  if (staff === undefined) return <Loading />;
  if (staff) return children;
  return (
    <section>
      <h1>{t('meetingStaff.staffArea')}</h1>
      <p role="alert" className="error">
        {user ? t('meetingStaff.notStaff') : t('errors.unauthorized')}
      </p>
      <p>
        {!user && (
          <>
            <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}>{t('nav.login')}</Link> ·{' '}
          </>
        )}
        <Link to={back}>{backLabel}</Link>
      </p>
    </section>
  );
}

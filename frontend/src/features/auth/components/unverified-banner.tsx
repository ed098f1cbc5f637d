// Shown to a signed-in user whose address is not confirmed: they can read, not take part, until
// they open the e-mailed link; a button sends it again.
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { useResendVerification } from '../api';

export function UnverifiedBanner() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const resend = useResendVerification();
  if (!user || user.email_verified) return null;
  return (
    <div className="notice unverified-banner" role="region" aria-label={t('auth.checkEmailTitle')}>
      <p>{t('auth.unverifiedBanner', { email: user.email })}</p>
      {resend.isSuccess ? (
        <p role="status">{t('auth.resent')}</p>
      ) : (
        <button type="button" className="secondary" onClick={() => resend.mutate({})} disabled={resend.isPending}>
          {t('auth.resend')}
        </button>
      )}
      <ErrorMessage error={resend.error} />
    </div>
  );
}

import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useNavigate, useParams } from 'react-router-dom';
import { MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { errorsByPath } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { localizedFrom, orgLocales } from '../../../lib/forms';
import { resolveText, type Locale } from '../../../lib/language';
import { canCreate } from '../../../lib/permissions';
import { createPage, deletePage, updatePage, useOrg, usePage, usePageMenu, usePageRevisions } from '../api';

/** The menu of content pages, beside every page. */
function Menu({ org, fallback }: { org: string; fallback: Locale }) {
  const { t } = useTranslation();
  const menu = usePageMenu(org);
  if (!menu.data || menu.data.items.length === 0) return null;
  return (
    <nav aria-label={t('pages.menu')} className="subnav">
      {menu.data.items.map((p) => (
        <NavLink key={p.id} to={`/o/${org}/pages/${p.slug}`}>
          <Localized text={p.title} fallback={fallback} />
        </NavLink>
      ))}
    </nav>
  );
}

/** `/o/:slug/pages`: the menu, and for staff a form for a new page. */
export function PageIndex() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const org = useOrg(slug);
  if (org.isPending) return <Loading />;
  if (!org.data) return <ErrorMessage error={org.error} />;
  return (
    <section>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('pages.title')}</h1>
      <Menu org={slug} fallback={org.data.default_locale} />
      {canCreate(user, slug) && <PageForm org={slug} locales={orgLocales(org.data)} />}
    </section>
  );
}

/** `/o/:slug/pages/:page`: a page's sanitised HTML, with the menu; staff edit it and see its history. */
export default function ContentPage() {
  const { slug = '', page = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const org = useOrg(slug);
  const p = usePage(slug, page);
  const staff = canCreate(user, slug);
  const [editing, setEditing] = useState(false);
  const [removeError, setRemoveError] = useState<unknown>(null);
  const navigate = useNavigate();
  if (org.isPending || p.isPending) return <Loading />;
  if (!org.data || !p.data) return <ErrorMessage error={org.error ?? p.error} />;
  const o = org.data;
  const lang = i18n.language as Locale;
  const html = resolveText(p.data.html, lang, o.default_locale);
  return (
    <article>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <Menu org={slug} fallback={o.default_locale} />
      <Localized as="h1" text={p.data.title} fallback={o.default_locale} />
      {/* The server rendered the Markdown and sanitised the HTML (no scripts, handlers or javascript: links). */}
      {html && <div className="page-body" lang={html.lang} dangerouslySetInnerHTML={{ __html: html.text }} />}
      {staff && (
        <>
          <p>
            <button type="button" className="secondary" onClick={() => setEditing(!editing)} aria-expanded={editing}>
              {t('pages.edit')}
            </button>{' '}
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void deletePage(slug, page).then(
                  () => navigate(`/o/${slug}/pages`),
                  (e: unknown) => setRemoveError(e),
                )
              }
            >
              {t('pages.delete')}
            </button>
          </p>
          <ErrorMessage error={removeError} />
          {editing && <PageForm org={slug} locales={orgLocales(o)} existing={p.data} onSaved={() => setEditing(false)} />}
          <Revisions org={slug} page={page} lang={lang} tz={o.time_zone} />
        </>
      )}
    </article>
  );
}

type PageData = NonNullable<ReturnType<typeof usePage>['data']>;

function PageForm({ org, locales, existing, onSaved }: { org: string; locales: ReturnType<typeof orgLocales>; existing?: PageData; onSaved?: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = errorsByPath(error);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const title = localizedFrom(f, 'title', locales);
    const body = localizedFrom(f, 'body', locales);
    const position = Number(f.get('position') ?? 0);
    setBusy(true);
    setError(null);
    try {
      if (existing) {
        await updatePage(org, existing.slug, { title, body, position });
        onSaved?.();
      } else {
        const p = await createPage(org, { slug: String(f.get('slug') ?? '').trim(), title, body, position });
        navigate(`/o/${org}/pages/${p.slug}`);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="staff-form" onSubmit={(e) => void submit(e)} aria-labelledby="page-form">
      <h2 id="page-form">{existing ? t('pages.edit') : t('pages.new')}</h2>
      {!existing && <Field label={t('pages.slug')} name="slug" required maxLength={80} pattern="[a-z0-9]+(-[a-z0-9]+)*" hint={t('pages.slugHint')} error={errors.slug} />}
      <MultilingualInput name="title" label={t('pages.titleLabel')} locales={locales} errors={errors} required maxLength={200} defaultValue={existing?.title} />
      <MultilingualInput name="body" label={t('pages.body')} locales={locales} errors={errors} required multiline rows={12} maxLength={50000} hint={t('pages.markdownHint')} defaultValue={existing?.body} />
      <Field label={t('pages.position')} name="position" type="number" min={0} max={1000} defaultValue={existing?.position ?? 0} error={errors.position} />
      <button type="submit" disabled={busy}>
        {t('pages.save')}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}

function Revisions({ org, page, lang, tz }: { org: string; page: string; lang: Locale; tz: string }) {
  const { t } = useTranslation();
  const revs = usePageRevisions(org, page, true);
  if (!revs.data) return null;
  return (
    <section aria-labelledby="page-history">
      <h2 id="page-history">{t('pages.history')}</h2>
      <ol className="list">
        {revs.data.items.map((r) => (
          <li key={r.id}>
            <time dateTime={r.created_at}>{formatDateTime(r.created_at, lang, tz)}</time> – {t(`pages.role.${r.author_role}`, { defaultValue: r.author_role })}
          </li>
        ))}
      </ol>
    </section>
  );
}

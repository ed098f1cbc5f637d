import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { toLocale } from '../../../lib/language';
import { PAGE_SIZE, useSearch, type SearchHit, type SearchKind } from '../api';
import { SearchBox } from '../components/search-box';
import { Snippet } from '../components/snippet';
import { KINDS, hitHref } from '../lib/links';
import '../search.css';

/** How long typing pauses before the results follow. */
const DEBOUNCE_MS = 250;

/** Search results: grouped by kind with counts, filter by kind, paged; follows typing. */
export default function SearchPage() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = (params.get('kind') ?? undefined) as SearchKind | undefined;
  const cursor = params.get('cursor') ?? undefined;
  // Search as you type: the URL (and so the query) follows the box after a pause.
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onType = (typed: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (typed.trim()) next.set('q', typed);
          else next.delete('q');
          next.delete('cursor');
          return next;
        },
        { replace: true },
      );
    }, DEBOUNCE_MS);
  };

  const lang = toLocale(i18n.language) ?? 'en';
  const search = useSearch(slug, q, kind, cursor, lang);
  const data = search.data;

  const setFilter = (k: SearchKind | undefined) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (k) next.set('kind', k);
      else next.delete('kind');
      next.delete('cursor');
      return next;
    });
  const goTo = (c: string | undefined) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (c) next.set('cursor', c);
      else next.delete('cursor');
      return next;
    });

  const groups = useMemo(() => {
    const byKind = new Map<SearchKind, SearchHit[]>();
    for (const h of data?.items ?? []) byKind.set(h.kind, [...(byKind.get(h.kind) ?? []), h]);
    return KINDS.filter((k) => byKind.has(k)).map((k) => ({ kind: k, hits: byKind.get(k) ?? [] }));
  }, [data]);
  const all = data?.groups.reduce((n, g) => n + g.count, 0) ?? 0;
  const offset = Number(cursor ?? 0) || 0;

  return (
    <section className="search-page">
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('search.title')}</h1>
      <SearchBox slug={slug} initial={q} onType={onType} />
      {!q.trim() && <p>{t('search.prompt')}</p>}
      {search.isPending && q.trim() && <Loading />}
      <ErrorMessage error={search.error} />
      {data && q.trim() && (
        <>
          <p role="status" aria-live="polite">
            {t('search.found', { count: all, q })}
          </p>
          {all > 0 && (
            <ul className="search-kinds" aria-label={t('search.filter')}>
              <li>
                <button type="button" className={kind ? 'secondary' : undefined} aria-pressed={!kind} onClick={() => setFilter(undefined)}>
                  {t('search.all')} ({all})
                </button>
              </li>
              {data.groups.map((g) => (
                <li key={g.kind}>
                  <button type="button" className={kind === g.kind ? undefined : 'secondary'} aria-pressed={kind === g.kind} onClick={() => setFilter(g.kind)}>
                    {t(`search.kind_${g.kind}`)} ({g.count})
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="search-results">
            {groups.map((g) => (
              <section key={g.kind} aria-labelledby={`search-group-${g.kind}`}>
                <h2 id={`search-group-${g.kind}`}>{t(`search.kind_${g.kind}`)}</h2>
                <ul className="list">
                  {g.hits.map((h) => (
                    <li key={h.id}>
                      <Link to={hitHref(slug, h)}>
                        <Localized text={h.title} />
                      </Link>
                      <Snippet segments={h.snippet} />
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
          {(offset > 0 || data.next_cursor) && (
            <nav className="search-paging" aria-label={t('search.pages')}>
              {offset > 0 && (
                <button type="button" className="secondary" onClick={() => goTo(offset - PAGE_SIZE > 0 ? String(offset - PAGE_SIZE) : undefined)}>
                  {t('search.previous')}
                </button>
              )}
              {data.next_cursor && (
                <button type="button" className="secondary" onClick={() => goTo(data.next_cursor ?? undefined)}>
                  {t('search.next')}
                </button>
              )}
            </nav>
          )}
        </>
      )}
    </section>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

/**
 * The organisation's search form (`role="search"`). In the header it opens the results page;
 * on the results page (`onType`) it also reports what is typed, for search as you type.
 */
export function SearchBox({ slug, initial = '', onType, className }: { slug: string; initial?: string; onType?: (q: string) => void; className?: string }) {
  const { t } = useTranslation();
  const id = useId();
  const navigate = useNavigate();
  const [q, setQ] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (q.trim()) navigate(`/o/${slug}/search?q=${encodeURIComponent(q.trim())}`);
  };
  return (
    <form role="search" className={`search-box ${className ?? ''}`} onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        {t('search.label')}
      </label>
      <input
        id={id}
        type="search"
        name="q"
        value={q}
        maxLength={200}
        placeholder={t('search.placeholder')}
        autoComplete="off"
        onChange={(e) => {
          setQ(e.target.value);
          onType?.(e.target.value);
        }}
      />
      <button type="submit" className="secondary">
        {t('search.button')}
      </button>
    </form>
  );
}

import type { SearchHit } from '../api';

/** A hit's snippet, the words the query matched in `<mark>`. */
export function Snippet({ segments }: { segments: SearchHit['snippet'] }) {
  if (segments.length === 0) return null;
  return (
    <p className="snippet">
      {segments.map((s, i) => (s.highlight ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </p>
  );
}

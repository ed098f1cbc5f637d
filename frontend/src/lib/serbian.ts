//! Serbian in both of its scripts, the same mapping as the server's (`crates/domain/src/serbian.rs`):
//! one letter for one, with `lj`, `nj` and `dž` as single letters (љ, њ, џ). Web and e-mail
//! addresses and `{{placeholders}}` are left as they are.

const PAIRS: [string, string][] = [
  ['а', 'a'], ['б', 'b'], ['в', 'v'], ['г', 'g'], ['д', 'd'], ['ђ', 'đ'], ['е', 'e'], ['ж', 'ž'], ['з', 'z'], ['и', 'i'],
  ['ј', 'j'], ['к', 'k'], ['л', 'l'], ['љ', 'lj'], ['м', 'm'], ['н', 'n'], ['њ', 'nj'], ['о', 'o'], ['п', 'p'], ['р', 'r'],
  ['с', 's'], ['т', 't'], ['ћ', 'ć'], ['у', 'u'], ['ф', 'f'], ['х', 'h'], ['ц', 'c'], ['ч', 'č'], ['џ', 'dž'], ['ш', 'š'],
];
const TO_LATIN = new Map(PAIRS);
const TO_CYRILLIC = new Map(PAIRS.map(([c, l]) => [l, c]));

// Placeholders, web addresses and e-mail addresses: kept as they are.
const PROTECTED = /(\{\{[^}]*\}\}|\b(?:https?:\/\/|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)/giu;

const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();

function outsideProtected(s: string, f: (part: string) => string): string {
  return s
    .split(PROTECTED)
    .map((part, i) => (i % 2 === 1 ? part : f(part)))
    .join('');
}

/** Serbian Latin as Cyrillic: `Šumadija` → `Шумадија`, `Ljubav` → `Љубав`. */
export function toCyrillic(s: string): string {
  return outsideProtected(s, (part) => {
    const chars = [...part];
    let out = '';
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] as string;
      const pair = `${c}${chars[i + 1] ?? ''}`.toLowerCase();
      const digraph = pair === 'lj' || pair === 'nj' || pair === 'dž' ? TO_CYRILLIC.get(pair) : undefined;
      const cyr = digraph ?? TO_CYRILLIC.get(c.toLowerCase());
      if (!cyr) {
        out += c;
        continue;
      }
      out += isUpper(c) ? cyr.toUpperCase() : cyr;
      if (digraph) i += 1;
    }
    return out;
  });
}

/** Serbian Cyrillic as Latin: `Шумадија` → `Šumadija`, `Љубав` → `Ljubav`, `ЉУБАВ` → `LJUBAV`. */
export function toLatin(s: string): string {
  return outsideProtected(s, (part) => {
    const chars = [...part];
    return chars
      .map((c, i) => {
        const latin = TO_LATIN.get(c.toLowerCase());
        if (!latin) return c;
        if (!isUpper(c)) return latin;
        if (latin.length === 1) return latin.toUpperCase();
        // A capital digraph is `Lj` before a small letter, `LJ` in a word written in capitals.
        const next = chars[i + 1] ?? '';
        const prev = chars[i - 1] ?? '';
        const capitals = isUpper(next) || (isUpper(prev) && !/\p{L}/u.test(next));
        return capitals ? latin.toUpperCase() : (latin[0] as string).toUpperCase() + latin.slice(1);
      })
      .join('');
  });
}

/** Every string in `resources` (a translation file) in Cyrillic, keys unchanged. */
export function cyrillicResources<T>(resources: T): T {
  if (typeof resources === 'string') return toCyrillic(resources) as T;
  if (Array.isArray(resources)) return resources.map((r: unknown) => cyrillicResources(r)) as T;
  if (resources && typeof resources === 'object') {
    return Object.fromEntries(Object.entries(resources).map(([k, v]) => [k, cyrillicResources(v)])) as T;
  }
  return resources;
}

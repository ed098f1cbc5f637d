// The organisation's accent colour on its pages: its `--brand` (and a darker `--brand-dark` for
// hover) while the reader is under /o/:slug, the app's own colour elsewhere. The server accepted
// the colour only if white text on it and it on the page background are legible (4.5:1).
import { useEffect } from 'react';
import { checkAccent, darken } from '../lib/contrast';
import { useOrg } from '../lib/org';

export function OrgAccent({ slug }: { slug: string }) {
  const org = useOrg(slug);
  const accent = org.data?.accent_color ?? null;
  useEffect(() => {
    // Checked again here: a colour that would not be legible is never painted.
    if (!accent || !checkAccent(accent)?.ok) return;
    const style = document.documentElement.style;
    style.setProperty('--brand', accent);
    style.setProperty('--brand-dark', darken(accent) ?? accent);
    return () => {
      style.removeProperty('--brand');
      style.removeProperty('--brand-dark');
    };
  }, [accent]);
  return null;
}

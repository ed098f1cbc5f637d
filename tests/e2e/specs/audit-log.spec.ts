import { expect, test } from '@playwright/test';
import { expectAccessible } from './helpers';

test.use({ locale: 'en-GB' });

const official = {
  email: 'official@sosnowiec.demo.pnyx.eu',
  password: process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026',
};

test('the public audit log shows a staff change before → after, in the reader’s language, with its feed', async ({ page, request }) => {
  // An official renames a content page (through the API: the log is what this test is about).
  const login = await request.post('/api/v1/auth/login', { data: official });
  expect(login.ok()).toBeTruthy();
  const { access_token: token } = (await login.json()) as { access_token: string };
  const changed = await request.patch('/api/v1/orgs/sosnowiec/pages/edukacja', {
    headers: { Authorization: `Bearer ${token}` },
    data: { title: { pl: 'Edukacja obywatelska', en: 'Civic education' } },
  });
  expect(changed.status()).toBe(200);

  // Anyone reads it, signed out, in their language.
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await page.goto('/o/sosnowiec/audit-log');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'Page changed' }).first();
  await expect(row).toBeVisible();
  await expect(row).toContainText('an official');
  await expect(row.getByRole('listitem')).toHaveText('title: Education → Civic education');

  // The feed is linked from the page and from its head, and it is Atom.
  const feed = page.getByRole('link', { name: 'Follow as a feed (Atom)' });
  await expect(feed).toHaveAttribute('href', '/api/v1/orgs/sosnowiec/audit-log.atom');
  await expect(page.locator('head link[rel="alternate"][type="application/atom+xml"]')).toHaveCount(1);
  const atom = await request.get('/api/v1/orgs/sosnowiec/audit-log.atom?lang=en');
  expect(atom.headers()['content-type']).toContain('application/atom+xml');
  expect(await atom.text()).toContain('title: Education → Civic education');
  await expectAccessible(page);
});

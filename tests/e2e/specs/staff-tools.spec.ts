import { expect, test } from '@playwright/test';
import { expectAccessible, logIn, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

const password = process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026';
const orgAdmin = { email: 'admin@sosnowiec.demo.pnyx.eu', password };

test('an admin creates an API token shown once, uses it, and revokes it', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const name = `Open-data mirror ${Date.now()}`;
  await logIn(page, orgAdmin.email, orgAdmin.password);
  await page.goto('/profile');
  await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
  await page.getByRole('button', { name: 'Create a token' }).click();
  await expect(page.getByText('must not be empty').or(page.getByRole('alert')).first()).toBeVisible();

  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Access').selectOption('read');
  await page.getByRole('button', { name: 'Create a token' }).click();
  await expect(page.getByText(`The token “${name}” was created.`, { exact: false })).toBeVisible();
  const token = (await page.locator('code.secret').textContent()) ?? '';
  expect(token.length).toBeGreaterThan(20);
  await expect(page.getByRole('row').filter({ hasText: name })).toContainText('Read');
  await expectAccessible(page);

  // The token works for a third-party app until it is revoked.
  const me = await page.request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  await page.getByRole('button', { name: `Revoke “${name}”` }).click();
  await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  const after = await page.request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  // After a reload the secret is gone for good.
  await page.reload();
  await expect(page.locator('code.secret')).toHaveCount(0);
});

test('a resident asks to be verified, an admin verifies them, the public log names no resident, and the meetings calendar can be subscribed to', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const resident = { name: `Anna Audyt ${Date.now()}`, email: uniqueEmail('anna') };
  await register(page, resident.name, resident.email);
  await page.goto('/o/sosnowiec');
  await page.getByRole('link', { name: 'Verified residency' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Verified residency' })).toBeVisible();
  await page.getByLabel('Your details').fill('ul. Testowa 1, Sosnowiec');
  await page.getByRole('button', { name: 'Ask to be verified' }).click();
  await expect(page.getByText(/Your request is waiting for an answer/)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Log out' }).click();

  await logIn(page, orgAdmin.email, orgAdmin.password);
  await page.goto('/o/sosnowiec');
  await page.getByRole('link', { name: 'Residency requests' }).click();
  const row = page.getByRole('row').filter({ hasText: resident.name });
  await expect(row).toContainText('ul. Testowa 1, Sosnowiec');
  await expectAccessible(page);
  await row.getByRole('button', { name: `Verify ${resident.name}` }).click();
  await expect(page.getByText(`${resident.name} is verified.`)).toBeVisible();
  await page.goto('/o/sosnowiec/admin/members');
  await expect(page.getByRole('row').filter({ hasText: resident.name }).getByRole('checkbox', { name: /^Verified resident/ })).toBeChecked();
  await page.getByRole('button', { name: 'Log out' }).click();

  // Anyone can read the log; it names the decision, not the resident.
  await page.goto('/o/sosnowiec');
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  const first = page.getByRole('row').nth(1);
  await expect(first).toContainText('A resident verified');
  await expect(page.getByText(resident.name)).toHaveCount(0);
  await expectAccessible(page);

  await page.goto('/o/sosnowiec/meetings');
  const subscribe = page.getByRole('link', { name: 'Subscribe to the calendar' });
  await expect(subscribe).toHaveAttribute('href', /^webcal:\/\/127\.0\.0\.1:\d+\/api\/v1\/orgs\/sosnowiec\/calendar\.ics\?lang=en$/);
  const feed = await page.request.get('/api/v1/orgs/sosnowiec/calendar.ics?lang=en');
  expect(feed.status()).toBe(200);
  expect(await feed.text()).toContain('BEGIN:VCALENDAR');
  await expectAccessible(page);
});

test('an admin adds a language and a description in it from the settings page; residents then read it', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const stamp = Date.now();
  await logIn(page, orgAdmin.email, orgAdmin.password);
  await page.goto('/o/sosnowiec');
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Warsaw');
  // The name in the default language is required: refused next to the field, nothing saved.
  await page.getByLabel('Name (Polski) – required').fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Name (Polski) – required')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Name (Polski) – required').fill('Miasto Sosnowiec');

  await page.getByRole('checkbox', { name: 'Slovenčina' }).check();
  await page.getByLabel('Description (Slovenčina)').fill(`Participatívny rozpočet Sosnovca ${stamp}`);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();

  await page.goto('/o/sosnowiec');
  await page.getByLabel('Language').selectOption('sk');
  await expect(page.getByText(`Participatívny rozpočet Sosnovca ${stamp}`)).toBeVisible();
});

test('an opinion waits in the staff workspace until an official answers it; residents have no workspace', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const stamp = Date.now();
  const text = `Proszę o dłuższe konsultacje (${stamp}).`;
  const bedzinOfficial = { email: 'official@bedzin.demo.pnyx.eu', password };
  await register(page, 'Olga Opinia', uniqueEmail('olga'));
  await page.goto('/o/bedzin/workspace');
  await expect(page.getByRole('alert')).toHaveText('You do not have access to this page.');
  await page.goto('/o/bedzin/consultations');
  await page.getByRole('link', { name: 'Consultation: the online public-consultation platform' }).click();
  await page.getByRole('textbox', { name: 'Your opinion' }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('listitem').filter({ hasText: text })).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();

  await logIn(page, bedzinOfficial.email, bedzinOfficial.password);
  await page.goto('/o/bedzin');
  await page.getByRole('link', { name: 'Staff workspace' }).click();
  const opinions = page.getByRole('region', { name: /Opinions without an answer/ });
  const waiting = opinions.getByRole('listitem').filter({ hasText: text });
  await expect(waiting).toBeVisible();
  await expectAccessible(page);
  await waiting.getByRole('link').click();
  const opinion = page.getByRole('listitem').filter({ hasText: text });
  await opinion.getByRole('textbox', { name: 'Answer to this opinion' }).fill('Dziękujemy, przedłużymy.');
  await opinion.getByRole('button', { name: 'Save answer' }).click();
  await expect(opinion.getByText('The answer was saved.')).toBeVisible();
  await page.goto('/o/bedzin/workspace');
  await expect(page.getByRole('region', { name: /Opinions without an answer/ })).toBeVisible();
  await expect(page.getByText(text)).toHaveCount(0);
});

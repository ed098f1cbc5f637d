import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, logIn, logOut, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

/** The seeded staff of Sosnowiec; `scripts/e2e.sh` gives every demo account this password. */
const password = process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026';
const official = { email: 'official@sosnowiec.demo.pnyx.eu', password };
// Hiding an opinion takes an admin or a moderator (`PATCH …/opinions/{id}`): the seed's officials are neither.
const orgAdmin = { email: 'admin@sosnowiec.demo.pnyx.eu', password };

async function openConsultation(page: Page) {
  await page.goto('/o/sosnowiec/consultations');
  await page.getByRole('link', { name: /2027/ }).click();
  await expect(page.getByRole('heading', { name: 'Give your opinion' })).toBeVisible();
}


test('an official answers an opinion, an admin hides another, and the resident sees the answer', async ({ page }) => {
  const stamp = Date.now();
  const wanted = `Proszę wydłużyć termin zgłaszania projektów (${stamp}).`;
  const unwanted = `Kupię rower, tanio (${stamp}).`;
  const answer = `Dziękujemy, termin wydłużono do 6 tygodni (${stamp}).`;
  const resident = { name: 'Ewa Test', email: uniqueEmail('ewa'), password: 'a long resident password' };

  await register(page, resident.name, resident.email, resident.password);
  await page.getByLabel('Language').selectOption('en');
  await openConsultation(page);
  for (const text of [wanted, unwanted]) {
    await page.getByRole('textbox', { name: 'Your opinion' }).fill(text);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.getByRole('listitem').filter({ hasText: text })).toBeVisible();
  }
  await expectAccessible(page);
  await logOut(page);

  await logIn(page, official.email, official.password);
  await openConsultation(page);
  const opinion = page.getByRole('listitem').filter({ hasText: wanted });
  await expect(opinion.getByRole('button', { name: 'Hide' })).toHaveCount(0);
  await opinion.getByRole('textbox', { name: 'Answer to this opinion' }).fill(answer);
  await opinion.getByRole('button', { name: 'Save answer' }).click();
  await expect(opinion.getByText('The answer was saved.')).toBeVisible();
  await expect(opinion.getByText(`Answer of the municipality: ${answer}`)).toBeVisible();
  await expect(opinion.getByRole('textbox', { name: 'Change the answer' })).toHaveValue(answer);
  await expectAccessible(page);
  await logOut(page);

  await logIn(page, orgAdmin.email, orgAdmin.password);
  await openConsultation(page);
  const other = page.getByRole('listitem').filter({ hasText: unwanted });
  await other.getByRole('button', { name: 'Hide' }).click();
  await expect(other.getByText('Hidden', { exact: true })).toBeVisible();
  await expect(other.getByRole('button', { name: 'Show again' })).toBeVisible();
  await expectAccessible(page);
  await logOut(page);

  await logIn(page, resident.email, resident.password);
  await openConsultation(page);
  await expect(page.getByText(`Answer of the municipality: ${answer}`)).toBeVisible();
  await expect(page.getByText(wanted)).toBeVisible();
  await expect(page.getByText(unwanted)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save answer' })).toHaveCount(0);
  await expectAccessible(page);
});

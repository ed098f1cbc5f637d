import { expect, test } from '@playwright/test';
import { expectAccessible, logIn, logOut, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

/** The seeded staff of Będzin; `scripts/e2e.sh` gives every demo account this password. */
const password = process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026';
const official = { email: 'official@bedzin.demo.pnyx.eu', password };

/** `YYYY-MM-DDTHH:mm` for a datetime-local input, `days` from now (whole days: the zone does not matter). */
function local(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);
}


test('an official opens a consultation from the web app, a resident gives an opinion on a section, and the official corrects a text', async ({ page }) => {
  const stamp = Date.now();
  const title = `Zasady gospodarowania zielenią ${stamp}`;
  const resident = { name: 'Jan Test', email: uniqueEmail('jan'), password: 'a long resident password' };
  // The demo official's profile speaks Polish; this device has chosen English.
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));

  await logIn(page, official.email, official.password);
  await page.goto('/o/bedzin/consultations');
  await page.getByRole('link', { name: 'New consultation' }).click();
  await expect(page.getByRole('heading', { name: 'New consultation' })).toBeVisible();

  // Sent empty: the form names what is missing and nothing is created.
  await page.getByRole('button', { name: 'Create the consultation' }).click();
  await expect(page.getByRole('textbox', { name: /^Title \(Polski\)/ })).toBeFocused();
  await expect(page.getByText('Fill this in.').first()).toBeVisible();

  await page.getByRole('textbox', { name: /^Title \(Polski\)/ }).fill(title);
  await page.getByRole('textbox', { name: /^Summary \(Polski\)/ }).fill('Projekt uchwały w sprawie zieleni miejskiej.');
  await page.getByLabel('Subject').selectOption('draft_act');
  await page.getByLabel('Opens').fill(local(-1));
  await page.getByLabel('Closes').fill(local(30));
  await page.getByRole('button', { name: 'Add a section' }).click();
  await page.getByLabel('Mark (for example § 3)').fill('§2');
  await page.getByRole('textbox', { name: /^Section title \(Polski\)/ }).fill('Nasadzenia');
  await page.getByRole('button', { name: 'Add a document' }).click();
  await page.getByRole('textbox', { name: /^Document title \(Polski\)/ }).fill('Projekt uchwały');
  await page.getByLabel('Address (https://…)').fill('javascript:alert(1)');
  await page.getByRole('button', { name: 'Create the consultation' }).click();
  await expect(page.getByText('Enter an address starting with https:// or http://.')).toBeVisible();
  await page.getByLabel('Address (https://…)').fill('https://bedzin.example.pl/projekt-uchwaly.pdf');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Create the consultation' }).click();

  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByText('Open', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Projekt uchwały' })).toHaveAttribute('href', 'https://bedzin.example.pl/projekt-uchwaly.pdf');
  await logOut(page);

  await register(page, resident.name, resident.email, resident.password);
  await page.goto('/o/bedzin/consultations');
  await page.getByRole('link', { name: title }).click();
  await page.getByLabel('Section (optional)').selectOption('§2');
  await page.getByRole('textbox', { name: 'Your opinion' }).fill(`Więcej drzew przy szkołach (${stamp}).`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('listitem').filter({ hasText: `Więcej drzew przy szkołach (${stamp}).` })).toContainText('§2');
  await logOut(page);

  // Once open, the period is locked, but the texts can still be corrected.
  await logIn(page, official.email, official.password);
  await page.goto('/o/bedzin/consultations');
  await page.getByRole('link', { name: title }).click();
  await page.getByRole('link', { name: 'Edit the consultation' }).click();
  await expect(page.getByText('The consultation has opened, so its period can no longer change.')).toBeVisible();
  await expect(page.getByLabel('Opens')).toBeDisabled();
  await page.getByRole('textbox', { name: /^Summary \(Polski\)/ }).fill('Projekt uchwały w sprawie zieleni miejskiej (poprawiony).');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Projekt uchwały w sprawie zieleni miejskiej (poprawiony).')).toBeVisible();
  await page.goto('/o/bedzin/surveys');
  await expect(page.getByRole('heading', { name: 'Surveys' })).toBeVisible();
  await expectAccessible(page);
});

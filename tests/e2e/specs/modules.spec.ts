import { expect, test } from '@playwright/test';
import { expectAccessible, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

test('a resident registers for a meeting and joins a follow-up activity', async ({ page }) => {
  await register(page, 'Milan Test', uniqueEmail('milan'));
  await page.getByLabel('Language').selectOption('en');
  await page.goto('/o/banska-bystrica/meetings');
  await expectAccessible(page);
  await page.getByRole('link', { name: /Third OGP Local discussion event/ }).click();
  await expect(page.getByText(/seats left/)).toBeVisible();
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByText('You are registered.')).toBeVisible();
  await expect(page.getByText('Online link:')).toBeVisible();
  await expectAccessible(page);

  await page.goto('/o/banska-bystrica/meetings');
  await page.getByRole('link', { name: /Second OGP Local discussion event/ }).click();
  await expect(page.getByText('22 participants')).toBeVisible();
  const activity = page.getByRole('listitem').filter({ hasText: 'Používanie jednoduchšieho a rodovo citlivého jazyka' });
  await activity.getByRole('button', { name: 'Join as co-owner' }).click();
  await expect(activity.getByText('Co-owners: Milan Test')).toBeVisible();
  await expectAccessible(page);
});

test('a resident gives an opinion in an open consultation', async ({ page }) => {
  await register(page, 'Ola Test', uniqueEmail('ola'));
  await page.getByLabel('Language').selectOption('en');
  await page.goto('/o/sosnowiec/consultations');
  await expectAccessible(page);
  await page.getByRole('link', { name: /2027/ }).click();
  await page.getByLabel('Section (optional)').selectOption('§3');
  await page.getByRole('textbox', { name: 'Your opinion' }).fill('Proszę wydłużyć termin zgłaszania projektów.');
  // `exact`: the consultation's survey has a "Send answers" button too.
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByText('Thank you, your opinion was received.')).toBeVisible();
  await expect(page.getByText('Proszę wydłużyć termin zgłaszania projektów.')).toBeVisible();
  await expectAccessible(page);
});

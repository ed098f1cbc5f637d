import { expect, test } from '@playwright/test';
import { expectAccessible, logIn, mailedLink, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

const password = 'a long resident password';

test('a new resident confirms their e-mail from the mailed link and can then register for a meeting', async ({ page }) => {
  const email = uniqueEmail('mila');
  const since = Date.now();
  await page.goto('/register');
  await page.getByLabel('Your name').fill('Mila Mail');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your e-mail' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText(email);
  await expectAccessible(page);

  // Signed in but unconfirmed: a banner says so, and taking part is not offered.
  await logIn(page, email, password);
  await expect(page.getByText(/Confirm your e-mail address to take part/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send the link again' })).toBeVisible();
  await expectAccessible(page);

  await page.goto(await mailedLink(email, '/verify-email', since));
  await expect(page.getByText('Your e-mail address is confirmed. Welcome, Mila Mail!')).toBeVisible();
  await expect(page.getByText(/Confirm your e-mail address to take part/)).toHaveCount(0);
  await expectAccessible(page);

  await page.goto('/o/banska-bystrica/meetings');
  await page.getByRole('link', { name: /Third OGP Local discussion event/ }).click();
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByText('You are registered.')).toBeVisible();

  // The link works once.
  await page.goto(await mailedLink(email, '/verify-email', since));
  await expect(page.getByRole('alert')).toContainText('no longer valid');
});

test('a resident who forgot their password resets it from the mailed link; the old one stops working', async ({ page }) => {
  const email = uniqueEmail('pavol');
  await page.goto('/register');
  await page.getByLabel('Your name').fill('Pavol Pamäť');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your e-mail' })).toBeVisible();

  const since = Date.now();
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('a link to reset the password is on its way');

  await page.goto(await mailedLink(email, '/reset-password', since));
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(page.getByText(/at least 10 characters/).last()).toBeVisible();
  await page.getByLabel('New password').fill('a brand new resident password');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed');

  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await logIn(page, email, 'a brand new resident password');
  // Resetting by e-mail also confirmed the address.
  await expect(page.getByText(/Confirm your e-mail address to take part/)).toHaveCount(0);
});

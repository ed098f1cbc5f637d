import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { admin, expectAccessible, expectNoSidewaysScroll, logIn, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

const password = 'a long resident password';

test('a resident downloads the archive of their data once the server has made it', async ({ page }) => {
  const email = uniqueEmail('dana');
  await register(page, 'Dana Data', email, password);
  await page.goto('/profile');
  await expect(page.getByRole('heading', { name: 'Download my data' })).toBeVisible();
  await expect(page.getByText(/Anonymous survey answers and the contents of your budget ballots cannot be included/)).toBeVisible();
  await page.getByRole('button', { name: 'Prepare my data' }).click();
  // The background worker makes it within seconds; the page polls until it is ready.
  await expect(page.getByText(/Your file is ready\. You can download it until/)).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download my data' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('my-pnyx-data.json');
  const archive = JSON.parse(fs.readFileSync((await download.path()) as string, 'utf8'));
  expect(archive.format).toBe('pnyx-personal-data/1');
  expect(archive.data.account[0].email).toBe(email);
  expect(archive.data.account[0].display_name).toBe('Dana Data');
  expect(archive.data.account[0].password_hash).toBeUndefined();
  expect(archive.notice).toContain('ballots');
});

test('a resident deletes their account with their password and can no longer log in', async ({ page }) => {
  const email = uniqueEmail('erik');
  await register(page, 'Erik Erased', email, password);
  await page.goto('/profile');
  await expect(page.getByRole('heading', { name: 'Delete my account' })).toBeVisible();
  const remove = page.getByRole('button', { name: 'Delete my account' });
  await expect(remove).toBeDisabled();
  await expectAccessible(page);

  // A wrong password is refused and nothing happens.
  await page.getByLabel('Your password').fill('not my password');
  await page.getByLabel('I understand that this cannot be undone').check();
  await remove.click();
  await expect(page.getByRole('alert')).toContainText('password is wrong');
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();

  await page.getByLabel('Your password').fill(password);
  await remove.click();
  await expect(page.getByRole('heading', { name: 'Your account has been deleted' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);

  // The account is gone: logging in fails, and the address can sign up afresh.
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  // The app answers a refused login as it always does.
  await expect(page.getByRole('alert')).toHaveText('Please log in.');
  await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);
});

test('an admin sets the retention periods and the licence of the open data on the open-data page', async ({ page }) => {
  await logIn(page, admin.email, admin.password);
  await page.goto('/o/banska-bystrica/open-data');
  await expect(page.getByRole('heading', { name: 'How long contact details are kept' })).toBeVisible();
  const registrations = page.getByLabel('Meeting registrations: months after the meeting');
  await registrations.fill('121');
  const retention = page.getByRole('region', { name: 'How long contact details are kept' });
  await retention.getByRole('button', { name: 'Save' }).click();
  await expect(retention.getByRole('alert')).toBeVisible();
  await registrations.fill('12');
  await retention.getByRole('button', { name: 'Save' }).click();
  await expect(retention.getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await expect(page.getByLabel('Meeting registrations: months after the meeting')).toHaveValue('12');

  const licence = page.getByRole('region', { name: 'Licence of the open data' });
  await licence.getByLabel('Address of the licence').fill('https://creativecommons.org/publicdomain/zero/1.0/');
  await licence.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('link', { name: 'CC0 1.0' })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  // Back to the default, as the other browser tests expect it.
  await licence.getByLabel('Address of the licence').fill('');
  await licence.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('link', { name: 'CC BY 4.0' })).toBeVisible();
});

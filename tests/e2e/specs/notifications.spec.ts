import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, localInput, logIn, mailedText, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

/** The seeded official of Banská Bystrica; `scripts/e2e.sh` gives every demo account this password. */
const official = {
  email: 'official@banska-bystrica.demo.pnyx.eu',
  password: process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026',
};

async function useEnglish(page: Page) {
  await page.goto('/');
  await page.getByLabel('Language').selectOption('en');
}

test('a resident who follows a meeting hears of its cancellation by e-mail and in the bell', async ({ page, browser }) => {
  // The official schedules a meeting (in a browser of their own).
  const staff = await (await browser.newContext({ locale: 'en-GB' })).newPage();
  const title = `Neighbourhood walk ${Date.now()}`;
  await useEnglish(staff);
  await logIn(staff, official.email, official.password);
  await staff.goto('/o/banska-bystrica/meetings/new');
  await staff.getByLabel('Title (Slovenčina) – required').fill(title);
  await staff.getByLabel('Title (English)').fill(title);
  await staff.getByLabel('Form of the meeting').selectOption('online');
  await staff.getByLabel('Online link').fill('https://meet.example.sk/walk');
  await staff.getByLabel('Starts').fill(localInput('Europe/Bratislava', 3 * 24 * 60));
  await staff.getByLabel('Ends').fill(localInput('Europe/Bratislava', 3 * 24 * 60 + 60));
  await staff.getByRole('button', { name: 'Create meeting' }).click();
  await expect(staff.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const manageUrl = staff.url();

  // A new resident registers, confirms the address from the mailed link, and follows the meeting.
  const email = uniqueEmail('nora');
  await register(page, 'Nora Notice', email);
  await useEnglish(page);
  // The reload's session refresh has answered: navigating away while it is in flight leaves the
  // browser with the refresh cookie that request spent, which the server then refuses (a race
  // between two loads, refused so that exactly one refresh of a token wins), and signs it out.
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await page.goto('/o/banska-bystrica/meetings');
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const follow = page.getByRole('button', { name: 'Follow' });
  await expect(follow).toHaveAttribute('aria-pressed', 'false');
  await follow.click();
  await expect(page.getByRole('button', { name: 'Following' })).toHaveAttribute('aria-pressed', 'true');
  await expectAccessible(page);
  await expect(page.getByRole('link', { name: 'Notifications (unread: 0)' })).toBeVisible();

  // The official cancels it.
  const since = Date.now();
  await staff.goto(manageUrl);
  await staff.getByLabel('Reason for cancelling').fill('The park is closed for repairs.');
  await staff.getByRole('button', { name: 'Cancel the meeting' }).click();
  await expect(staff.getByText('Cancelled: The park is closed for repairs.')).toBeVisible();

  // The e-mail arrives, with a one-click unsubscribe header.
  const mail = await mailedText(email, 'has been cancelled', since);
  expect(mail).toContain(title);
  expect(mail).toContain('The park is closed for repairs.');
  expect(mail).toMatch(/^List-Unsubscribe: <http[^>]+\/api\/v1\/unsubscribe\?token=/m);
  expect(mail).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);

  // And the bell shows it.
  await page.reload();
  const bell = page.getByRole('link', { name: 'Notifications (unread: 1)' });
  await expect(bell).toBeVisible();
  await bell.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  const note = page.getByTestId('notification').first();
  await expect(note).toContainText(`The meeting “${title}” has been cancelled.`);
  await expect(note).toContainText('The park is closed for repairs.');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(page.getByRole('link', { name: 'Notifications (unread: 0)' })).toBeVisible();
  await note.getByRole('link', { name: /has been cancelled/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
});

test('a resident chooses how each kind of notification reaches them', async ({ page }) => {
  await register(page, 'Pia Preference', uniqueEmail('pia'));
  await useEnglish(page);
  await page.goto('/settings/notifications');
  await expect(page.getByRole('heading', { level: 1, name: 'Notification settings' })).toBeVisible();
  await expectAccessible(page);
  const group = page.getByRole('group', { name: 'A commitment reported progress' });
  await expect(group.getByLabel('Daily summary e-mail')).toBeChecked();
  await group.getByLabel('Off').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await expect(page.getByRole('group', { name: 'A commitment reported progress' }).getByLabel('Off')).toBeChecked();
});

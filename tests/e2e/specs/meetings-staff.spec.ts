import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, localInput, logIn } from './helpers';

test.use({ locale: 'en-GB' });

/** The seeded official of Banská Bystrica; `scripts/e2e.sh` gives every demo account this password. */
const official = {
  email: 'official@banska-bystrica.demo.pnyx.eu',
  password: process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026',
};

const bratislava = (minutes: number) => localInput('Europe/Bratislava', minutes);

async function useEnglish(page: Page) {
  // Chosen on this device, English wins over the official's Slovak profile.
  await page.goto('/');
  await page.getByLabel('Language').selectOption('en');
}

test('an official schedules a meeting with capacity, then records minutes and a follow-up activity', async ({ page }) => {
  const title = `Verejné stretnutie k rozpočtu ${Date.now()}`;
  await useEnglish(page);
  await logIn(page, official.email, official.password);

  await page.goto('/o/banska-bystrica/meetings');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'New meeting' }).click();
  await expect(page.getByRole('heading', { name: 'New meeting' })).toBeVisible();
  await expectAccessible(page);

  // Sending it empty names every missing field next to it.
  await page.getByRole('button', { name: 'Create meeting' }).click();
  await expect(page.getByLabel('Title (Slovenčina) – required')).toHaveAccessibleDescription('This field is required.');
  await expect(page.getByLabel('Address')).toHaveAccessibleDescription('A meeting held in person needs an address.');
  await expectAccessible(page);

  await page.getByLabel('Title (Slovenčina) – required').fill(title);
  await page.getByLabel('Title (English)').fill('Public budget meeting');
  await page.getByLabel('Address').fill('Radnica, Námestie SNP 1, Banská Bystrica');
  // Under way already, so that minutes can follow straight away.
  await page.getByLabel('Starts').fill(bratislava(-60));
  await page.getByLabel('Ends').fill(bratislava(60));
  await page.getByLabel('Capacity (seats)').fill('25');
  await page.getByRole('button', { name: 'Add agenda item' }).click();
  await page.getByLabel('Item (Slovenčina) – required').fill('Návrhy obyvateľov');
  await page.getByLabel('Duration (minutes)').fill('45');
  await page.getByRole('button', { name: 'Create meeting' }).click();

  // Shown in the reader's language, English here.
  await expect(page.getByRole('heading', { level: 1, name: 'Public budget meeting' })).toBeVisible();
  await expect(page.getByText('0 confirmed, 0 on the waiting list · capacity 25')).toBeVisible();
  await expect(page.getByText('Nobody has registered yet.')).toBeVisible();
  await expectAccessible(page);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download as CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/^registrations-banska-bystrica-.*\.csv$/);

  await page.getByLabel('Minutes (Slovenčina) – required').fill('<p>Stretnutia sa zúčastnilo <strong>18</strong> obyvateľov.</p>');
  await page.getByLabel('Number of participants').fill('18');
  await page.getByRole('button', { name: 'Add attachment' }).click();
  await page.getByLabel('Attachment title').fill('Prezentácia');
  await page.getByLabel('Attachment link').fill('https://www.banskabystrica.sk/ogp/prezentacia.pdf');
  await page.getByRole('button', { name: 'Publish minutes' }).click();
  await expect(page.getByText('Minutes published.')).toBeVisible();

  await page.getByLabel('Activity title (Slovenčina) – required').fill('Pracovná skupina pre participatívny rozpočet');
  await page.getByLabel('Description (Slovenčina)').last().fill('Stretáva sa raz mesačne.');
  await page.getByRole('button', { name: 'Add activity' }).click();
  await expect(page.getByText('Activity added.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: /^Pracovná skupina pre participatívny rozpočet/ })).toBeVisible();

  await page.getByRole('button', { name: 'Mark as held' }).click();
  await expect(page.locator('#status-heading + p .badge')).toHaveText('Held');
  await expectAccessible(page);

  // Residents see it all on the public page.
  await page.getByRole('link', { name: 'Public page' }).click();
  await expect(page.getByText('18 participants')).toBeVisible();
  await expect(page.getByText('Stretnutia sa zúčastnilo 18 obyvateľov.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Prezentácia' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Pracovná skupina pre participatívny rozpočet/ })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Návrhy obyvateľov' })).toContainText('(45 min)');
  await expectAccessible(page);
});

test('a resident does not see the staff screens', async ({ page }) => {
  await useEnglish(page);
  await page.goto('/o/banska-bystrica/meetings');
  await expect(page.getByRole('heading', { name: 'Meetings' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New meeting' })).toHaveCount(0);
  await page.goto('/o/banska-bystrica/meetings/new');
  await expect(page.getByRole('alert')).toHaveText('Please log in.');
  await expectAccessible(page);
});

test('an edit made meanwhile by someone else is not overwritten (If-Match, 412)', async ({ page, context }) => {
  await useEnglish(page);
  await logIn(page, official.email, official.password);
  await page.goto('/o/banska-bystrica/meetings/new');
  await page.getByLabel('Title (Slovenčina) – required').fill(`Online konzultácia ${Date.now()}`);
  await page.getByLabel('Title (English)').fill('Online consultation');
  await page.getByLabel('Form of the meeting').selectOption('online');
  await page.getByLabel('Online link').fill('https://meet.example.sk/konzultacia');
  await page.getByLabel('Show the link only to registered participants').check();
  await page.getByLabel('Starts').fill(bratislava(2 * 24 * 60));
  await page.getByLabel('Ends').fill(bratislava(2 * 24 * 60 + 90));
  await page.getByRole('button', { name: 'Create meeting' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Online consultation' })).toBeVisible();
  await expect(page.getByText('A meeting can be marked as held once it has started.')).toBeVisible();

  await page.getByRole('link', { name: 'Edit details' }).click();
  await expect(page.getByLabel('Title (English)')).toHaveValue('Online consultation');

  // A colleague saves a change in another tab first.
  const other = await context.newPage();
  await other.goto(page.url());
  await other.getByLabel('Title (English)').fill('Online consultation on the budget');
  await other.getByRole('button', { name: 'Save' }).click();
  await expect(other.getByRole('heading', { level: 1, name: 'Online consultation on the budget' })).toBeVisible();
  await other.close();

  await page.getByLabel('Capacity (seats)').fill('40');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toHaveText('Someone else changed this meanwhile. Reload and try again.');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Reload the current version' }).click();
  await expect(page.getByLabel('Title (English)')).toHaveValue('Online consultation on the budget');
  await page.getByLabel('Capacity (seats)').fill('40');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('0 confirmed, 0 on the waiting list · capacity 40')).toBeVisible();

  await page.getByLabel('Reason for cancelling').fill('The speaker is ill; a new date follows.');
  await page.getByRole('button', { name: 'Cancel the meeting' }).click();
  await expect(page.getByText('Cancelled: The speaker is ill; a new date follows.')).toBeVisible();
  await expectAccessible(page);
});

import { expect, test } from '@playwright/test';
import { expectAccessible, logIn, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

const official = {
  email: 'official@banska-bystrica.demo.pnyx.eu',
  password: process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026',
};

test('an official publishes a plan with a commitment; a resident offers to co-own it and follows its progress', async ({ page }) => {
  // The demo official's profile speaks Slovak; this device has chosen English.
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const stamp = Date.now();
  const planTitle = `Akčný plán ${stamp}`;
  const commitmentTitle = `Register projektov ${stamp}`;

  await logIn(page, official.email, official.password);
  await page.goto('/o/banska-bystrica');
  await page.getByRole('link', { name: 'Action plan', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Action plans' })).toBeVisible();
  await expectAccessible(page);

  // A new plan starts as a draft.
  await page.getByRole('link', { name: 'New action plan' }).click();
  await page.getByLabel('Title (Slovenčina)').fill(planTitle);
  await page.getByLabel('Title (English)').fill(`Action plan ${stamp}`);
  await page.getByLabel('Description (Slovenčina)').fill('Záväzky spoluvytvárané s mimovládnymi organizáciami a obyvateľmi.');
  await page.getByLabel('Start date').fill('2026-01-01');
  await page.getByLabel('End date').fill('2027-06-30');
  await page.getByRole('button', { name: 'Add a document' }).click();
  await page.getByLabel('Title of link 1').fill('Akčný plán (PDF)');
  await page.getByLabel('Address (URL) of link 1').fill('https://www.banskabystrica.sk/akcny-plan.pdf');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Create action plan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Action plan ${stamp}` })).toBeVisible();
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();
  await expect(page.getByText('This plan has no commitments yet.')).toBeVisible();
  const planUrl = page.url();

  // A commitment in it.
  await page.getByRole('link', { name: 'New commitment' }).click();
  await page.getByLabel('Commitment title (Slovenčina)').fill(commitmentTitle);
  await page.getByLabel('Lead', { exact: true }).fill('Kancelária primátora');
  await page.getByLabel('Supporting actors').fill('Univerzita Mateja Bela\nŽivica');
  await page.getByLabel('Civic participation').check();
  await page.getByLabel('Access to information').check();
  await page.getByLabel('Budget (EUR)').fill('12000');
  await page.getByLabel('Verifiable').selectOption('yes');
  await page.getByLabel('Potential for results').selectOption('modest');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Create commitment' }).click();
  await expect(page.getByRole('heading', { level: 1, name: commitmentTitle })).toBeVisible();
  await expect(page.getByText('€12,000.00')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Independent assessment (IRM)' })).toContainText('Modest');

  // Two milestones; an end before the start is refused next to the field.
  const add = page.locator('details').filter({ hasText: 'Add a milestone' });
  await add.getByText('Add a milestone').first().click();
  await add.getByLabel('Milestone title (Slovenčina)').fill('Spustenie registra');
  await add.getByLabel('Start date').fill('2026-03-01');
  await add.getByLabel('End date').fill('2026-02-01');
  await add.getByRole('button', { name: 'Add a milestone' }).click();
  await expect(add.getByLabel('End date')).toHaveAccessibleDescription(/end date must not be before the start date/);
  await add.getByLabel('End date').fill('2026-04-30');
  await add.getByRole('button', { name: 'Add a milestone' }).click();
  await expect(page.getByRole('heading', { level: 3, name: 'Spustenie registra' })).toBeVisible();
  await add.getByLabel('Milestone title (Slovenčina)').fill('Prvá aktualizácia údajov');
  await add.getByLabel('Start date').fill('2026-05-01');
  await add.getByLabel('End date').fill('2027-05-31');
  await add.getByRole('button', { name: 'Add a milestone' }).click();
  await expect(page.getByRole('heading', { level: 3, name: 'Prvá aktualizácia údajov' })).toBeVisible();
  await expectAccessible(page);

  // The first one is done: half of the milestones.
  await page.getByRole('button', { name: 'Edit milestone “Spustenie registra”' }).click();
  const first = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Spustenie registra' }) });
  await first.getByLabel('Milestone status').selectOption('done');
  await first.getByLabel('Completed on').fill('2026-04-20');
  await first.getByRole('button', { name: 'Save milestone' }).click();
  await expect(page.getByRole('progressbar', { name: `Completion of “${commitmentTitle}”` })).toHaveAttribute('aria-valuenow', '50');
  await expect(page.getByText('Milestone “Spustenie registra”: Not started → Done')).toBeVisible();

  // A progress update with evidence.
  const post = page.locator('details').filter({ hasText: 'Post a progress update' });
  await post.getByText('Post a progress update').first().click();
  await post.getByLabel('What has been done (Slovenčina)').fill('Register je spustený na webe mesta.');
  await post.getByRole('button', { name: 'Add an evidence link' }).click();
  await post.getByLabel('Title of link 1').fill('Register');
  await post.getByLabel('Address (URL) of link 1').fill('https://www.banskabystrica.sk/register');
  await post.getByLabel('Amount spent so far (EUR)').fill('3500');
  await post.getByRole('button', { name: 'Post a progress update' }).click();
  await expect(page.getByText('The update was published.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Register', exact: true })).toBeVisible();
  await expectAccessible(page);

  // The plan is edited (claiming the version read), then moves out of draft.
  await page.getByRole('link', { name: 'Back to the action plan' }).click();
  await page.getByRole('link', { name: 'Edit action plan' }).click();
  await expect(page.getByLabel('Title (English)')).toHaveValue(`Action plan ${stamp}`);
  await page.getByLabel('Title (English)').fill(`OGP Local action plan ${stamp}`);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `OGP Local action plan ${stamp}` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Move to: Co-creation' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Move to: Adopted/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Move to: Co-creation' }).click();
  await expect(page.getByRole('button', { name: 'Move to: Adopted' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Move to: Draft' })).toBeVisible();
  await expect(page.getByRole('figure')).toHaveAccessibleName('Commitments by completion level (total 1): Not started 0, Limited 0, Substantial 1, Complete 0.');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Log out' }).click();

  // A resident finds it, joins as co-owner and follows its progress.
  await register(page, 'Lucia Test', uniqueEmail('lucia'));
  await page.goto(planUrl);
  await expect(page.getByRole('heading', { level: 1, name: `OGP Local action plan ${stamp}` })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Manage this plan' })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole('link', { name: commitmentTitle }).click();
  await expect(page.getByRole('progressbar', { name: `Completion of “${commitmentTitle}”` })).toHaveAttribute('aria-valuenow', '50');
  await expect(page.getByText('50 % done (1 of 2 milestones)')).toBeVisible();
  await expect(page.getByText('Completion: Not started → Substantial')).toBeVisible();
  await expect(page.getByText('Register je spustený na webe mesta.')).toBeVisible();
  await expect(page.getByText('Spent so far: €3,500.00')).toBeVisible();
  await page.getByLabel('Organisation').fill('Živica');
  await page.getByRole('button', { name: 'Join as co-owner' }).click();
  await expect(page.getByText('You offered to co-own this commitment; the municipality will confirm.')).toBeVisible();
  const coOwners = page.getByRole('region', { name: 'Co-owners' });
  await expect(coOwners.getByRole('listitem').filter({ hasText: 'Lucia Test' })).toContainText('Awaiting acceptance');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Withdraw' }).click();
  await expect(page.getByRole('button', { name: 'Join as co-owner' })).toBeVisible();
  await expect(coOwners.getByText('Lucia Test')).toHaveCount(0);
  await page.getByRole('button', { name: 'Join as co-owner' }).click();
  await expect(coOwners.getByText('Awaiting acceptance')).toBeVisible();
  const commitmentUrl = page.url();
  await page.getByRole('button', { name: 'Log out' }).click();

  // Staff accept the offer.
  await logIn(page, official.email, official.password);
  await page.goto(commitmentUrl);
  await coOwners.getByRole('button', { name: 'Accept Lucia Test' }).click();
  await expect(coOwners.getByRole('listitem').filter({ hasText: 'Lucia Test' })).toContainText('Accepted');
  await expect(coOwners.getByRole('button', { name: 'Remove Lucia Test' })).toBeVisible();
  await expectAccessible(page);
});

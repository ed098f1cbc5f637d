// Journey 3, in the browser only: an official schedules a meeting with two seats; residents sign up
// until it is full, the next one joins the waiting list and is promoted when someone cancels; the
// official writes the minutes and a follow-up activity, which a resident co-owns.
import { expect, test } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll, localInput, logIn, logOut, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

/** The seeded official of Banská Bystrica; `scripts/e2e.sh` gives every demo account this password. */
const official = {
  email: 'official@banska-bystrica.demo.pnyx.eu',
  password: process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026',
};

const bratislava = (minutes: number) => localInput('Europe/Bratislava', minutes);


test('journey 3: a meeting with two seats fills, the waiting list is promoted, minutes and a co-owned follow-up follow', async ({ page }) => {
  test.setTimeout(180_000);
  // Chosen on this device, English wins over the official's Slovak profile.
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const stamp = Date.now();
  const title = `Stretnutie k ihriskám ${stamp}`;
  const english = `Playgrounds meeting ${stamp}`;
  const activity = `Pracovná skupina pre ihriská ${stamp}`;
  const residents = ['Anna', 'Boris', 'Cyril'].map((name) => ({ name: `${name} Test`, email: uniqueEmail(name.toLowerCase()), password: 'a long resident password' }));
  const [anna, boris, cyril] = residents;

  // The official schedules it, under way already so that minutes can follow.
  await page.goto('/login');
  await expectAccessible(page);
  await logIn(page, official.email, official.password);
  await page.goto('/o/banska-bystrica/meetings');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'New meeting' }).click();
  await page.getByLabel('Title (Slovenčina) – required').fill(title);
  await page.getByLabel('Title (English)').fill(english);
  await page.getByLabel('Address').fill('Radnica, Námestie SNP 1, Banská Bystrica');
  await page.getByLabel('Starts').fill(bratislava(-30));
  await page.getByLabel('Ends').fill(bratislava(90));
  await page.getByLabel('Capacity (seats)').fill('2');
  await expect(page.getByLabel('Offer a waiting list when full')).toBeChecked();
  // It serves one of the town's action plans; a link with nothing chosen is named, nothing is sent.
  await page.getByRole('button', { name: 'Add a link' }).click();
  const link = page.getByRole('group', { name: 'Link 1' });
  await link.getByLabel('Kind').selectOption('action_plan');
  await page.getByRole('button', { name: 'Create meeting' }).click();
  await expect(link.getByLabel('Item')).toHaveAccessibleDescription('Choose what it links to.');
  await link.getByLabel('Item').selectOption({ index: 1 });
  const planTitle = (await link.getByLabel('Item').locator('option:checked').innerText()).trim();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await page.getByRole('button', { name: 'Create meeting' }).click();
  await expect(page.getByRole('heading', { level: 1, name: english })).toBeVisible();
  await expect(page.getByText('0 confirmed, 0 on the waiting list · capacity 2')).toBeVisible();
  const manageUrl = page.url();
  const meetingUrl = manageUrl.replace(/\/manage$/, '');
  await logOut(page);

  const registration = page.getByRole('region', { name: 'Register' });

  // Two residents take the two seats.
  await page.goto('/register');
  await expectAccessible(page);
  await register(page, anna.name, anna.email, anna.password);
  await page.goto(meetingUrl);
  await expect(page.getByRole('heading', { level: 1, name: english })).toBeVisible();
  await expect(registration.getByText('2 seats left')).toBeVisible();
  const related = page.getByRole('region', { name: 'Related' });
  await expect(related).toContainText(`Action plan: ${planTitle}`);
  await expect(related.getByRole('link')).toHaveAttribute('href', /^\/o\/banska-bystrica\/action-plans\/[0-9a-f-]{36}$/);
  await expectAccessible(page);
  await registration.getByRole('button', { name: 'Register' }).click();
  await expect(registration.getByRole('status')).toHaveText('You are registered.');
  await expectAccessible(page);
  await logOut(page);

  await register(page, boris.name, boris.email, boris.password);
  await page.goto(meetingUrl);
  await registration.getByRole('button', { name: 'Register' }).click();
  await expect(registration.getByRole('status')).toHaveText('You are registered.');
  await expect(registration.getByText('The meeting is full.')).toBeVisible();
  await logOut(page);

  // The third finds it full and joins the waiting list.
  await register(page, cyril.name, cyril.email, cyril.password);
  await page.goto(meetingUrl);
  await expect(registration.getByText('The meeting is full.')).toBeVisible();
  await expect(registration.getByRole('button', { name: 'Register' })).toHaveCount(0);
  await registration.getByRole('button', { name: 'Join the waiting list' }).click();
  await expect(registration.getByRole('status')).toHaveText('You are number 1 on the waiting list.');
  await expectAccessible(page);
  await logOut(page);

  // Anna cancels: her seat goes to Cyril.
  await logIn(page, anna.email, anna.password);
  await page.goto(meetingUrl);
  await expect(registration.getByRole('status')).toHaveText('You are registered.');
  await registration.getByRole('button', { name: 'Cancel my registration' }).click();
  await expect(registration.getByRole('status')).toHaveCount(0);
  await expect(registration.getByText('The meeting is full.')).toBeVisible();
  await expect(registration.getByRole('button', { name: 'Join the waiting list' })).toBeVisible();
  await logOut(page);

  await logIn(page, cyril.email, cyril.password);
  await page.goto(meetingUrl);
  await expect(registration.getByRole('status')).toHaveText('You are registered.');
  await logOut(page);

  // The official sees who comes, writes the minutes and a follow-up activity.
  await logIn(page, official.email, official.password);
  await page.goto(manageUrl);
  await expect(page.getByText('2 confirmed, 0 on the waiting list · capacity 2')).toBeVisible();
  const table = page.getByRole('table', { name: 'Registrations' });
  await expect(table.getByRole('row', { name: new RegExp(boris.name) })).toContainText('Confirmed');
  await expect(table.getByRole('row', { name: new RegExp(cyril.name) })).toContainText('Confirmed');
  await expect(table.getByRole('row', { name: new RegExp(anna.name) })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByLabel('Minutes (Slovenčina) – required').fill('<p>Obyvatelia navrhli <strong>tri</strong> nové ihriská.</p>');
  await page.getByLabel('Number of participants').fill('2');
  await page.getByRole('button', { name: 'Publish minutes' }).click();
  await expect(page.getByText('Minutes published.')).toBeVisible();
  await page.getByLabel('Activity title (Slovenčina) – required').fill(activity);
  await page.getByLabel('Description (Slovenčina)').last().fill('Vyberie miesta pre nové ihriská.');
  await page.getByRole('button', { name: 'Add activity' }).click();
  await expect(page.getByText('Activity added.')).toBeVisible();
  const staffCard = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: activity }) });
  await expect(staffCard).toContainText('Co-owners: —');
  await expectAccessible(page);
  await logOut(page);

  // Boris reads the minutes and becomes the activity's co-owner.
  await logIn(page, boris.email, boris.password);
  await page.goto(meetingUrl);
  await expect(page.getByRole('region', { name: 'Minutes' })).toContainText('Obyvatelia navrhli tri nové ihriská.');
  await expect(page.getByText('2 participants')).toBeVisible();
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: activity }) });
  await expect(card).toContainText('Vyberie miesta pre nové ihriská.');
  await card.getByRole('button', { name: 'Join as co-owner' }).click();
  await expect(card).toContainText(`Co-owners: ${boris.name}`);
  await expect(card.getByRole('button', { name: 'Leave' })).toBeVisible();
  await expectAccessible(page);
  await logOut(page);

  // The official sees the co-owner on the staff page.
  await logIn(page, official.email, official.password);
  await page.goto(manageUrl);
  await expect(staffCard).toContainText(`Co-owners: ${boris.name}`);
});

import { expect, test } from '@playwright/test';
import { admin, expectAccessible, expectNoSidewaysScroll, logIn, logOut } from './helpers';

test.use({ locale: 'en-GB' });

const demoPassword = process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026';
// An 8×8 PNG: the logo uploaded through the settings form.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGPgzvPHihiGlgQAeOUyARGyp+UAAAAASUVORK5CYII=', 'base64');

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
});

test('an admin sets an accent colour checked for contrast, a logo shown in the header, and the area for reports', async ({ page }) => {
  const slug = `brand-${Date.now()}`;
  await logIn(page, admin.email, admin.password);
  await page.goto('/admin/orgs/new');
  await page.getByLabel('Address (slug)').fill(slug);
  await page.getByLabel('Default language').selectOption('en');
  await page.getByLabel('Name (English)').fill('Brandville');
  await page.getByRole('button', { name: 'Create municipality' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Brandville' })).toBeVisible();

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const accent = page.getByLabel('Accent colour (#rrggbb)');
  const ratio = page.getByTestId('contrast');
  await expect(ratio).toHaveText(/the app's own is used/);

  // Too light: the form shows the ratios as they are typed and sends nothing.
  await accent.fill('#ffcc00');
  await expect(ratio).toHaveText(/white text 1\.51:1, on the page background 1\.38:1: at least 4\.5:1/);
  let sent = false;
  page.on('request', (r) => {
    if (r.method() === 'PATCH' && r.url().endsWith(`/api/v1/orgs/${slug}`)) sent = true;
  });
  await page.getByRole('button', { name: 'Save' }).first().click();
  await expect(page.getByText(/This colour is too light to read: contrast 1\.51:1/).first()).toBeVisible();
  expect(sent).toBe(false);
  await expectAccessible(page);

  await accent.fill('#0b6e4f');
  await expect(ratio).toHaveText(/white text 6\.25:1, on the page background 5\.73:1: legible/);
  await page.getByRole('button', { name: 'Save' }).first().click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  expect(sent).toBe(true);
  // The organisation's pages are painted in it; elsewhere the app's own colour stays.
  const brand = () => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand').trim());
  await expect.poll(brand).toBe('#0b6e4f');
  await expect(page.locator('.site-header')).toHaveCSS('background-color', 'rgb(11, 110, 79)');

  // The logo: a document is refused, an image is shown in the organisation's header.
  await page.getByLabel('Logo image').setInputFiles({ name: 'logo.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n') });
  await page.getByRole('button', { name: 'Upload the logo' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'This kind of file or data is not accepted.' })).toBeVisible();
  await page.getByLabel('Logo image').setInputFiles({ name: 'grb.png', mimeType: 'image/png', buffer: png });
  await page.getByRole('button', { name: 'Upload the logo' }).click();
  await expect(page.getByRole('img', { name: 'The current logo' })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);

  // The area: checked before it is sent, then saved and shown.
  await page.getByRole('link', { name: 'Area for reports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Area for reports' })).toBeVisible();
  await expect(page.getByTestId('area-now')).toHaveText('No area is set: reports may lie anywhere.');
  await page.getByLabel('Southern edge (minimum latitude)').fill('43.2');
  await page.getByLabel('Northern edge (maximum latitude)').fill('42.9');
  await page.getByLabel('Western edge (minimum longitude)').fill('200');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('The northern edge must not be south of the southern edge.')).toBeVisible();
  await expect(page.getByText('A longitude lies between -180 and 180.')).toBeVisible();
  await expect(page.getByText('Fill in all four edges, or none.')).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Northern edge (maximum latitude)').fill('43.12');
  await page.getByLabel('Southern edge (minimum latitude)').fill('42,93');
  await page.getByLabel('Western edge (minimum longitude)').fill('21.95');
  await page.getByLabel('Eastern edge (maximum longitude)').fill('22.3');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('area-now')).toHaveText('Now: latitudes 42.93 to 43.12, longitudes 21.95 to 22.3.');
  await expectNoSidewaysScroll(page);
  await page.reload();
  await expect(page.getByLabel('Southern edge (minimum latitude)')).toHaveValue('42.93');

  // The home page shows the logo in the organisation's header.
  await page.goto(`/o/${slug}`);
  await expect(page.locator('.org-header').getByRole('img', { name: 'Logo' })).toBeVisible();
  await expectAccessible(page);

  // Back in the settings, removing the accent colour and the logo.
  await page.goto(`/o/${slug}/admin/settings`);
  await page.getByLabel('Accent colour (#rrggbb)').fill('');
  await page.getByRole('button', { name: 'Save' }).first().click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.getByRole('button', { name: 'Remove the logo' }).click();
  await expect(page.getByText('No logo yet.')).toBeVisible();
  await expect.poll(brand).toBe('#1d4e89');
});

test('an official starts a year by hand, adds a line, edits it, is refused a stale save, and removes it', async ({ page, browser }) => {
  await logIn(page, 'official@sosnowiec.demo.pnyx.eu', demoPassword);
  await page.goto('/o/sosnowiec/budget-execution');
  await page.getByRole('region', { name: 'Start a budget year by hand' }).getByLabel('Year', { exact: true }).fill('2091');
  await page.getByRole('button', { name: 'Start the year' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Budget 2091: a new line' })).toBeVisible();

  // Checked before sending: the code and an amount that is not one.
  await page.getByRole('button', { name: 'Add the line' }).click();
  await expect(page.getByText("Enter the line's code.")).toBeVisible();
  await page.getByLabel('Line code', { exact: true }).fill('0602-0001-423');
  await page.getByLabel('Programme code', { exact: true }).fill('0602');
  await page.getByLabel(/^Programme name \(Polski\)/).fill('Usługi ogólne');
  await page.getByLabel('Sub-programme code', { exact: true }).fill('0001');
  await page.getByLabel(/^Sub-programme name \(Polski\)/).fill('Funkcjonowanie urzędu');
  await page.getByLabel('Economic classification', { exact: true }).fill('423');
  await page.getByLabel(/^Line name \(Polski\)/).fill('Usługi na podstawie umów');
  await page.getByLabel('Planned', { exact: true }).fill('12,5x');
  await page.getByRole('button', { name: 'Add the line' }).click();
  await expect(page.getByText('Enter an amount such as 1500 or 1500.50.')).toBeVisible();
  await page.getByLabel('Planned', { exact: true }).fill('1 250 000,50');
  await page.getByLabel('Q1', { exact: true }).fill('300000');
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await page.getByRole('button', { name: 'Add the line' }).click();

  await expect(page.getByRole('heading', { level: 1, name: /2091/ })).toBeVisible();
  await expect(page.getByText('Line 0602-0001-423 is saved.')).toBeVisible();
  await expect(page.getByTestId('total-planned')).toContainText('1,250,000.50');
  await expect(page.getByTestId('total-executed')).toContainText('300,000.00');

  // Two officials open the same line; the second save with the old version is refused.
  await page.getByRole('link', { name: 'Edit line 0602-0001-423' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Budget 2091: line 0602-0001-423' })).toBeVisible();
  const other = await browser.newPage();
  await other.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await logIn(other, 'official@sosnowiec.demo.pnyx.eu', demoPassword);
  await other.goto('/o/sosnowiec/budget-execution/2091/lines/0602-0001-423');
  await other.getByLabel('Amended (leave empty if not amended)', { exact: true }).fill('1300000');
  await other.getByRole('button', { name: 'Save' }).click();
  await expect(other.getByText('Line 0602-0001-423 is saved.')).toBeVisible();
  await other.close();

  await page.getByLabel('Q2', { exact: true }).fill('250000');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /changed|reload/i })).toBeVisible();
  await page.getByRole('link', { name: 'Reload the year to see the current version' }).click();
  await expect(page.getByTestId('total-current')).toContainText('1,300,000.00');
  await expect(page.getByTestId('total-executed')).toContainText('300,000.00');

  // The current version saves, then the line is removed after a confirmation.
  await page.getByRole('link', { name: 'Edit line 0602-0001-423' }).click();
  await page.getByLabel('Q2', { exact: true }).fill('250000');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('total-executed')).toContainText('550,000.00');
  await page.getByRole('link', { name: 'Edit line 0602-0001-423' }).click();
  await page.getByRole('button', { name: 'Remove line 0602-0001-423' }).click();
  await expect(page.getByText('Remove line 0602-0001-423 from the budget?')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Yes, remove line 0602-0001-423' }).click();
  await expect(page.getByText('Line 0602-0001-423 is removed.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Edit line 0602-0001-423' })).toHaveCount(0);
  await expectAccessible(page);
  await logOut(page);
});

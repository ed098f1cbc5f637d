import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll, logIn, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

const official = {
  email: 'official@banska-bystrica.demo.pnyx.eu',
  password: process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026',
};

/** A small PDF, made here (no downloads). */
function minutesPdf(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% Zápisnica z diskusného podujatia\n%%EOF\n', 'utf8');
}

/** A JPEG photo drawn in the browser (no downloads). */
async function photo(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 900;
    c.height = 600;
    const g = c.getContext('2d');
    if (g) {
      g.fillStyle = '#2e7d32';
      g.fillRect(0, 0, 900, 600);
      g.fillStyle = '#fdd835';
      g.fillRect(100, 350, 700, 80);
    }
    return c.toDataURL('image/jpeg', 0.9);
  });
  return Buffer.from(dataUrl.split(',')[1] ?? '', 'base64');
}

test('an official attaches minutes to a meeting and a resident adds a photo to their proposal', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const stamp = Date.now();

  // The official attaches the minutes to a meeting of the demo data.
  await logIn(page, official.email, official.password);
  await page.goto('/o/banska-bystrica/meetings');
  await page.getByRole('main').getByRole('listitem').first().getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 2, name: 'Files and photos' })).toBeVisible();
  await page.getByLabel('Add a file').setInputFiles({ name: `Zápisnica ${stamp}.pdf`, mimeType: 'application/pdf', buffer: minutesPdf() });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  const doc = page.getByRole('link', { name: `Zápisnica ${stamp}.pdf` });
  await expect(doc).toBeVisible();
  await expect(page.getByText(/\(PDF, \d+ byte\)/).first()).toBeVisible();
  // A file that is not on the list is refused in words, and nothing is added.
  await page.getByLabel('Add a file').setInputFiles({ name: 'setup.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1') });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByText('This kind of file or data is not accepted.')).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  const meetingUrl = new URL(page.url()).pathname;
  const href = await doc.getAttribute('href');
  expect(href).toContain('download=true');

  // The official opens a budget for proposals.
  await page.goto('/o/banska-bystrica/budgets');
  await page.getByRole('link', { name: 'New participatory budget' }).click();
  await page.getByLabel('Title (Slovenčina) – required').fill(`Participatívny rozpočet ${stamp}`);
  await page.getByLabel('Title (English)').fill(`Participatory budget ${stamp}`);
  await page.getByLabel('Rules in full (the regulation residents read) (Slovenčina)').fill('Každý obyvateľ môže navrhnúť projekt.');
  await page.getByLabel('Whole budget (EUR)').fill('1500');
  await page.getByLabel('Proposals', { exact: true }).fill('2026-03-01');
  await page.getByLabel('Review', { exact: true }).fill('2026-04-15');
  await page.getByLabel('Voting', { exact: true }).fill('2026-09-01');
  await page.getByLabel('Results', { exact: true }).fill('2026-09-30');
  await page.getByLabel('How residents vote').selectOption('approval');
  await page.getByRole('button', { name: 'Create the process' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Participatory budget ${stamp}` })).toBeVisible();
  const processUrl = new URL(page.url()).pathname;
  await page.getByRole('button', { name: 'Move to the next phase: Proposals' }).click();
  await page.getByRole('button', { name: 'Yes, move to Proposals' }).click();
  await expect(page.getByRole('list', { name: 'Phases' }).locator('[aria-current="step"]')).toContainText('Proposals');
  await page.getByRole('button', { name: 'Log out' }).click();

  // A resident proposes a project and adds a photo of the place.
  await register(page, 'Jana Foto', uniqueEmail('jana-photo'));
  await page.goto(processUrl);
  await page.getByRole('link', { name: 'Propose a project' }).click();
  const title = `Lavičky ${stamp}`;
  await page.getByLabel('Project title (Slovenčina)').fill(title);
  await page.getByLabel('Description (Slovenčina)').fill('Nové lavičky pri fontáne.');
  await page.getByLabel('Location').fill('Námestie SNP');
  await page.getByLabel('Estimated cost (EUR)').fill('400');
  await page.getByRole('button', { name: 'Submit the proposal' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await page.getByLabel('Add a file').setInputFiles({ name: 'namestie.jpg', mimeType: 'image/jpeg', buffer: await photo(page) });
  await page.getByRole('button', { name: 'Upload' }).click();
  const img = page.getByRole('img', { name: 'namestie.jpg' });
  await expect(img).toBeVisible();
  // Shown inline at a resized width, loaded from the server.
  await expect(img).toHaveAttribute('src', /\/content\?width=640$/);
  await img.scrollIntoViewIfNeeded(); // loading="lazy"
  // The resize runs on the server on first request; wait for the image to arrive rather than read it mid-load.
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : -1)), { timeout: 15_000 }).toBe(640);
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);

  // Anyone sees the minutes on the meeting.
  await page.goto(meetingUrl);
  await expect(page.getByRole('link', { name: `Zápisnica ${stamp}.pdf` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Upload' })).toHaveCount(0);
});

import { expect, test } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll, logIn } from './helpers';

test.use({ locale: 'en-GB' });

const official = {
  email: 'official@bedzin.demo.pnyx.eu',
  password: process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026',
};

/** A small PDF, made here (no downloads). */
function draftPdf(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% Projekt uchwały\n%%EOF\n', 'utf8');
}

test('anyone reads the documents library and a content page', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await page.goto('/o/sosnowiec/documents');
  await expect(page.getByRole('heading', { level: 1, name: 'Documents library' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'Resolution on the participatory budget' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'Participatory budget leaflet' })).toBeVisible();
  // Filter by category: only the legal act stays.
  await page.getByLabel('Category').first().selectOption('legal_acts');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByText('Documents found: 1')).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'Participatory budget leaflet' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'uchwala-budzet-obywatelski.pdf' })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);

  // A content page, rendered from Markdown by the server, with the menu.
  await page.goto('/o/sosnowiec/pages/edukacja');
  await expect(page.getByRole('heading', { level: 1, name: 'Education' })).toBeVisible();
  await expect(page.getByText('120 uczestników i uczestniczek')).toBeVisible();
  await page.getByRole('navigation', { name: 'Information pages' }).getByRole('link', { name: 'Legal acts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Legal acts' })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
});

test('an official attaches a draft to a consultation', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const stamp = Date.now();
  await logIn(page, official.email, official.password);
  await page.goto('/o/bedzin/consultations');
  await page.getByRole('main').getByRole('listitem').first().getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 2, name: 'Files and photos' })).toBeVisible();
  await page.getByLabel('Add a file').setInputFiles({ name: `Projekt uchwały ${stamp}.pdf`, mimeType: 'application/pdf', buffer: draftPdf() });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(page.getByRole('link', { name: `Projekt uchwały ${stamp}.pdf` })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
});

test('an official adds a document to the library and corrects its title', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const stamp = Date.now();
  await logIn(page, official.email, official.password);
  await page.goto('/o/bedzin/documents');
  const create = page.getByRole('form', { name: 'New document' });
  await create.getByLabel(/^Title/).first().fill(`Raport ${stamp}`);
  await create.getByRole('button', { name: 'Add to the library' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The document was added' })).toBeVisible();
  const entry = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: `Raport ${stamp}` }) });
  await entry.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Edit the document' });
  await edit.getByLabel(/^Title/).first().fill(`Raport roczny ${stamp}`);
  await edit.getByLabel('Category').selectOption('reports');
  await expectAccessible(page);
  await edit.getByRole('button', { name: 'Save the changes' }).click();
  await expect(page.getByRole('heading', { level: 3, name: `Raport roczny ${stamp}` })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Edit the document' })).toHaveCount(0);
  await expectNoSidewaysScroll(page);
});

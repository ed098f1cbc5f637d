import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

/** A JPEG photo drawn in the browser (no downloads). */
async function photo(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 900;
    c.height = 600;
    const g = c.getContext('2d');
    if (g) {
      g.fillStyle = '#37474f';
      g.fillRect(0, 0, 900, 600);
      g.fillStyle = '#ffeb3b';
      g.fillRect(400, 100, 100, 300);
    }
    return c.toDataURL('image/jpeg', 0.9);
  });
  return Buffer.from(dataUrl.split(',')[1] ?? '', 'base64');
}

test('a resident files a report with a photo that everyone sees on the report', async ({ page, browser }) => {
  const title = `Broken bench ${Date.now()}`;
  await register(page, 'Petra Photo', uniqueEmail('petra-photo'));
  await page.goto('/o/banska-bystrica/reports/new');
  await page.getByLabel('Category').selectOption({ index: 0 });
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('The bench by the fountain is broken.');
  await page.getByLabel('Address').fill('Námestie SNP 1');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
  await page.getByLabel('Add a file').setInputFiles({ name: 'bench.jpg', mimeType: 'image/jpeg', buffer: await photo(page) });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('img', { name: 'bench.jpg' })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);

  // Anyone, signed out, sees the photo with the report.
  const visitor = await browser.newPage();
  await visitor.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await visitor.goto(page.url());
  await expect(visitor.getByRole('img', { name: 'bench.jpg' })).toBeVisible();
  await expect(visitor.getByLabel('Add a file')).toHaveCount(0);
  await visitor.close();
});

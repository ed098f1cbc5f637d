import { expect, test } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll, logIn } from './helpers';

test.use({ locale: 'en-GB' });

const official = {
  email: 'official@banska-bystrica.demo.pnyx.eu',
  password: process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026',
};

const csv = (text: string) => ({ name: 'commitments.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });

test('an official checks an OGP spreadsheet, sees its errors by row and column, then imports a correct one', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const stamp = Date.now();
  await logIn(page, official.email, official.password);
  await page.goto('/o/banska-bystrica/action-plans/new');
  await page.getByLabel('Title (Slovenčina)').fill(`Plán ${stamp}`);
  await page.getByLabel('Title (English)').fill(`Imported plan ${stamp}`);
  await page.getByLabel('Description (Slovenčina)').fill('Záväzky pripravené v tabuľke s partnermi.');
  await page.getByLabel('Start date').fill('2026-01-01');
  await page.getByLabel('End date').fill('2027-06-30');
  await page.getByRole('button', { name: 'Create action plan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Imported plan ${stamp}` })).toBeVisible();

  const region = page.getByRole('region', { name: 'Import commitments from a spreadsheet' });
  await region.getByLabel('CSV file').setInputFiles(
    csv('row_type,commitment_ref,title,lead_institution,start_date,end_date\ncommitment,A,Otvorené zmluvy,Kancelária primátora,,\nmilestone,A,Zverejniť zmluvy,,2026-13-01,2026-12-31\n'),
  );
  await region.getByRole('button', { name: 'Check the file' }).click();
  const errors = region.getByRole('table', { name: 'Problems in the file (nothing was stored)' });
  await expect(errors).toBeVisible();
  await expect(errors.getByRole('row').nth(1)).toContainText('3');
  await expect(errors.getByRole('row').nth(1)).toContainText('start_date');
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await expect(page.getByText('This plan has no commitments yet.')).toBeVisible();

  await region.getByLabel('CSV file').setInputFiles(
    csv('row_type,commitment_ref,title,lead_institution,start_date,end_date\ncommitment,A,Otvorené zmluvy,Kancelária primátora,,\nmilestone,A,Zverejniť zmluvy,,2026-02-01,2026-12-31\n'),
  );
  await region.getByRole('button', { name: 'Check the file' }).click();
  await expect(region.getByRole('status')).toContainText('Commitments that would be created: 1.');
  await expect(region.getByRole('status')).toContainText('A: Otvorené zmluvy (milestones: 1)');
  await expect(page.getByText('This plan has no commitments yet.')).toBeVisible();
  await region.getByRole('button', { name: 'Create the commitments' }).click();
  await expect(region.getByRole('status')).toContainText('Commitments created: 1.');
  await expect(page.getByRole('link', { name: 'Otvorené zmluvy' }).first()).toBeVisible();
});

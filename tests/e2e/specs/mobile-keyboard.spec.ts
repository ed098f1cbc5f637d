import { expect, test } from '@playwright/test';
import { expectAccessible, overflow, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

test.describe('on a 360 px wide phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('no page of the four journeys scrolls sideways', async ({ page }) => {
    const pages = ['/', '/login', '/register', '/forgot-password', '/reset-password?token=x', '/verify-email?token=x', '/o/sosnowiec', '/o/sosnowiec/budgets', '/o/bedzin/consultations', '/o/banska-bystrica/meetings', '/o/banska-bystrica/action-plans', '/o/vlasotince', '/o/sosnowiec/audit-log', '/o/bedzin/surveys'];
    // And the first item of each list: a process, its proposals and booth, a consultation, a meeting, a plan.
    await page.goto('/o/sosnowiec/budgets');
    const process = await page.getByRole('link', { name: /Budżet obywatelski Sosnowca 2027/ }).getAttribute('href');
    pages.push(`${process}`, `${process}/proposals`, `${process}/vote`);
    for (const [list, link] of [
      ['/o/bedzin/consultations', page.getByRole('tabpanel').getByRole('link').first()],
      ['/o/banska-bystrica/meetings', page.getByRole('main').getByRole('listitem').getByRole('link').first()],
      ['/o/banska-bystrica/action-plans', page.getByRole('main').getByRole('listitem').getByRole('link').first()],
    ] as const) {
      await page.goto(list);
      pages.push((await link.getAttribute('href')) ?? list);
    }
    for (const path of pages) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      expect(await overflow(page), path).toEqual([]);
    }
  });
});

test('a resident votes in the booth with the keyboard alone', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await register(page, 'Klara Klawiatura', uniqueEmail('klara'));
  await page.goto('/o/sosnowiec/budgets');
  await page.getByRole('link', { name: /Budżet obywatelski Sosnowca 2027/ }).click();
  await page.getByRole('link', { name: 'Go to the voting booth' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Voting booth');

  // Tab to the first project's checkbox, tick it with the space bar, then the next one.
  const boxes = page.getByRole('checkbox', { name: /^Choose “/ });
  await boxes.first().focus();
  await page.keyboard.press('Space');
  await expect(boxes.first()).toBeChecked();
  await boxes.nth(1).focus();
  await page.keyboard.press('Space');
  await expect(boxes.nth(1)).toBeChecked();
  await expectAccessible(page);

  // Reach the cast button by tabbing forward, as a keyboard user does, and press it.
  const cast = page.getByRole('button', { name: 'Cast my vote' });
  for (let i = 0; i < 400 && !(await cast.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(cast).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Thank you, your vote has been cast' })).toBeVisible();
});

test('a resident answers the Będzin survey with the keyboard alone', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await register(page, 'Kamil Klawiatura', uniqueEmail('kamil'));
  await page.goto('/o/bedzin/consultations');
  await page.getByRole('link', { name: 'Consultation: the online public-consultation platform' }).click();
  const survey = page.getByRole('region', { name: 'Survey: the online consultation platform' });
  await expect(survey).toBeVisible();

  // Radios: focus the group's first and move with the arrow keys ("Yes", then "No").
  await survey.getByRole('radio', { name: 'Yes' }).focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await expect(survey.getByRole('radio', { name: 'No' })).toBeChecked();
  const whyNot = survey.getByRole('group', { name: /Why not yet\?/ });
  await expect(whyNot).toBeVisible();
  // Tab into the new question and tick its first box with the space bar.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await expect(whyNot.getByRole('checkbox').first()).toBeChecked();

  // The ranking: its "+" buttons are buttons, pressed with Enter.
  const features = survey.getByRole('group', { name: /Which features of the platform matter most to you\?/ });
  for (const name of ['+ Surveys', '+ Consultation calendar', '+ E-mail notifications']) {
    await features.getByRole('button', { name }).focus();
    await page.keyboard.press('Enter');
  }
  await expect(features.getByRole('list', { name: 'Your order, best first' }).getByRole('listitem')).toHaveCount(3);
  await survey.getByRole('spinbutton').focus();
  await page.keyboard.type('2');

  const send = survey.getByRole('button', { name: 'Send answers' });
  for (let i = 0; i < 100 && !(await send.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(send).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(survey.getByRole('status')).toHaveText('Thank you, your answers were recorded.');
});

import { expect, test } from '@playwright/test';
import { expectAccessible, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

test('a resident fills in the Będzin platform survey: "why not?" appears only after "no", progress moves, thanks', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await register(page, 'Ewa Survey', uniqueEmail('survey'));

  await page.goto('/o/bedzin/consultations');
  await page.getByRole('link', { name: 'Consultation: the online public-consultation platform' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Consultation: the online public-consultation platform' })).toBeVisible();
  const survey = page.getByRole('region', { name: 'Survey: the online consultation platform' });
  await expect(survey).toBeVisible();
  await expect(survey.getByText('This survey is anonymous')).toBeVisible();
  await expect(survey.getByText('0 of 5 questions answered')).toBeVisible();
  await expect(survey.getByRole('group', { name: /Why not yet\?/ })).toHaveCount(0);
  await expectAccessible(page);

  // "No" to the first question brings in "Why not yet?" (and the ease rating stays hidden).
  await survey.getByRole('radio', { name: 'No' }).check();
  const whyNot = survey.getByRole('group', { name: /Why not yet\?/ });
  await expect(whyNot).toBeVisible();
  await expect(survey.getByRole('group', { name: /How easy is the platform to use\?/ })).toHaveCount(0);
  await expect(survey.getByText('1 of 6 questions answered')).toBeVisible();
  await whyNot.getByRole('checkbox', { name: 'I did not know about it' }).check();
  await expect(survey.getByText('2 of 6 questions answered')).toBeVisible();

  // "Yes" swaps it for the rating; back to "No" brings it back.
  await survey.getByRole('radio', { name: 'Yes' }).check();
  await expect(whyNot).toHaveCount(0);
  await expect(survey.getByRole('group', { name: /How easy is the platform to use\?/ })).toBeVisible();
  await survey.getByRole('radio', { name: 'No' }).check();
  await expect(whyNot).toBeVisible();
  await expectAccessible(page);

  // The three most important features, best first.
  const features = survey.getByRole('group', { name: /Which features of the platform matter most to you\?/ });
  await features.getByRole('button', { name: '+ Surveys' }).click();
  await features.getByRole('button', { name: '+ Consultation calendar' }).click();
  await features.getByRole('button', { name: '+ E-mail notifications' }).click();
  await expect(features.getByRole('list', { name: 'Your order, best first' }).getByRole('listitem')).toHaveCount(3);
  await expect(survey.getByText('3 of 6 questions answered')).toBeVisible();
  await survey.getByRole('spinbutton').fill('2');
  await expect(survey.getByText('4 of 6 questions answered')).toBeVisible();

  await survey.getByRole('button', { name: 'Send answers' }).click();
  await expect(survey.getByRole('status')).toHaveText('Thank you, your answers were recorded.');
  await expectAccessible(page);
});

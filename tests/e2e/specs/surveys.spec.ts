import { expect, test } from '@playwright/test';
import { expectAccessible, logIn, register, uniqueEmail } from './helpers';

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

const official = {
  email: 'official@bedzin.demo.pnyx.eu',
  password: process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026',
};

test('an official builds a survey with a condition and reorders it by keyboard; a survey with responses keeps its structure', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await logIn(page, official.email, official.password);
  await page.goto('/o/bedzin/consultations');
  await page.getByRole('link', { name: 'New survey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New survey' })).toBeVisible();
  const stamp = Date.now();
  await page.getByLabel('Survey title (Polski)').fill(`Rowery ${stamp}`);

  await page.getByRole('button', { name: '+ Single choice' }).click();
  const q1 = page.getByRole('group', { name: /^Question 1/ });
  await q1.getByLabel('Question (Polski)').fill('Czy jeździsz rowerem?');
  await q1.getByLabel('Required', { exact: true }).check();
  await q1.getByLabel('Option 1 (Polski)').fill('Tak');
  await q1.getByLabel('Option 2 (Polski)').fill('Nie');

  await page.getByRole('button', { name: '+ Long text' }).click();
  const q2 = page.getByRole('group', { name: /^Question 2/ });
  await q2.getByLabel('Question (Polski)').fill('Dlaczego nie?');
  await q2.getByLabel('Show only when this earlier question').selectOption({ label: 'Question 1: Czy jeździsz rowerem?' });
  await q2.getByRole('checkbox', { name: 'Nie' }).check();

  await page.getByRole('button', { name: '+ Scale' }).click();
  const q3 = page.getByRole('group', { name: /^Question 3/ });
  await q3.getByLabel('Question (Polski)').fill('Jak oceniasz ścieżki rowerowe?');
  await q3.getByLabel('Label of point 1 (Polski)').fill('Źle');
  await q3.getByLabel('Label of the highest point (Polski)').fill('Dobrze');
  // Moved up by keyboard: the scale becomes question 2, the conditional one question 3.
  await page.getByRole('button', { name: 'Move question 3 up' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Question moved to place 2.')).toBeAttached();
  await expect(page.getByRole('group', { name: /^Question 2 · Scale/ })).toBeVisible();
  await expect(page.getByRole('group', { name: /^Question 3 · Long text/ }).getByRole('checkbox', { name: 'Nie' })).toBeChecked();
  await expectAccessible(page);

  // A period of its own needs both dates: the server's refusal shows next to the field.
  await page.getByLabel('Opens').fill('2027-01-10T09:00');
  await page.getByRole('button', { name: 'Create survey' }).click();
  await expect(page.getByLabel('Closes')).toHaveAccessibleDescription(/give both dates, or neither/);
  await page.getByLabel('Opens').fill('');

  await page.getByRole('button', { name: 'Create survey' }).click();
  await expect(page.getByRole('heading', { level: 2, name: `Rowery ${stamp}` })).toBeVisible();
  const created = await (await page.request.get(`/api/v1/orgs/bedzin/surveys/${page.url().split('/').pop()}`)).json();
  expect(created.questions.map((q: { kind: { type: string } }) => q.kind.type)).toEqual(['single_choice', 'scale', 'long_text']);
  expect(created.questions[2].condition).toEqual({ type: 'choice_is', question: 'q1', options: ['o2'] });

  // The demo survey has responses: removing a question is refused in words; a text edit is not.
  const open = await (await page.request.get('/api/v1/orgs/bedzin/consultations?status=open')).json();
  const demo = open.items[0].survey_id as string;
  await page.goto(`/o/bedzin/surveys/${demo}/edit`);
  await expect(page.getByRole('heading', { level: 1, name: 'Edit survey' })).toBeVisible();
  await page.getByRole('button', { name: 'Remove question 7' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('This survey already has responses');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Undo the other changes, keep the texts' }).click();
  await page.getByRole('group', { name: /^Question 7/ }).getByLabel('Question (English)').fill('What else should the platform do?');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Survey: the online consultation platform' })).toBeVisible();
});

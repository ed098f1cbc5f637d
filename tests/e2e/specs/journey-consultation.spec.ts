// Journey 2, in the browser only: an official builds a survey with a conditional question and a
// consultation with two sections that carries it; two residents give opinions and answer the survey;
// the official answers an opinion and, once the consultation has closed, publishes the report, which
// the resident reads with the answer.
import { expect, test } from '@playwright/test';
import { expectAccessible, localInput, logIn, logOut, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

/** The seeded official of Będzin; `scripts/e2e.sh` gives every demo account this password. */
const official = {
  email: 'official@bedzin.demo.pnyx.eu',
  password: process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026',
};

const warsaw = (minutes: number) => localInput('Europe/Warsaw', minutes);


test('journey 2: a consultation with two sections and a conditional survey, opinions, an answer and the report', async ({ page }) => {
  // The consultation closes at a set minute (an open consultation's period is locked, so there is no
  // closing it early): the test waits for it, up to three minutes.
  test.setTimeout(360_000);
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const stamp = Date.now();
  const title = `Ścieżki rowerowe ${stamp}`;
  const surveyTitle = `Ankieta rowerowa ${stamp}`;
  const ola = { name: 'Ola Test', email: uniqueEmail('ola'), password: 'a long resident password' };
  const piotr = { name: 'Piotr Test', email: uniqueEmail('piotr'), password: 'a long resident password' };
  const olaOpinion = `Ścieżka wzdłuż Czarnej Przemszy powinna być oświetlona (${stamp}).`;
  const piotrOpinion = `Proszę o stojaki rowerowe przy dworcu (${stamp}).`;
  const answer = `Oświetlenie zostanie dodane w 2027 roku (${stamp}).`;
  const report = `Wpłynęły dwie opinie; oświetlenie ścieżki dodamy w 2027 roku (${stamp}).`;

  // The survey first: "Why not?" is asked only of those who answer "No".
  await page.goto('/login');
  await expectAccessible(page);
  await logIn(page, official.email, official.password);
  await page.goto('/o/bedzin/consultations');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'New survey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New survey' })).toBeVisible();
  await page.getByLabel('Survey title (Polski)').fill(surveyTitle);
  await page.getByRole('button', { name: '+ Single choice' }).click();
  const q1 = page.getByRole('group', { name: /^Question 1/ });
  await q1.getByLabel('Question (Polski)').fill('Czy jeździsz rowerem do pracy?');
  await q1.getByLabel('Required', { exact: true }).check();
  await q1.getByLabel('Option 1 (Polski)').fill('Tak');
  await q1.getByLabel('Option 2 (Polski)').fill('Nie');
  await page.getByRole('button', { name: '+ Long text' }).click();
  const q2 = page.getByRole('group', { name: /^Question 2/ });
  await q2.getByLabel('Question (Polski)').fill('Dlaczego nie?');
  await q2.getByLabel('Show only when this earlier question').selectOption({ label: 'Question 1: Czy jeździsz rowerem do pracy?' });
  await q2.getByRole('checkbox', { name: 'Nie' }).check();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Create survey' }).click();
  await expect(page.getByRole('heading', { level: 2, name: surveyTitle })).toBeVisible();
  await expectAccessible(page);

  // The consultation: two sections, the survey alongside, open now and closing in a few minutes.
  await page.goto('/o/bedzin/consultations');
  await page.getByRole('link', { name: 'New consultation' }).click();
  await expect(page.getByRole('heading', { name: 'New consultation' })).toBeVisible();
  await page.getByRole('textbox', { name: /^Title \(Polski\)/ }).fill(title);
  await page.getByRole('textbox', { name: /^Summary \(Polski\)/ }).fill('Projekt planu ścieżek rowerowych na lata 2027–2030.');
  await page.getByLabel('Subject').selectOption('plan');
  await page.getByLabel('Opens').fill(warsaw(-10));
  await page.getByLabel('Closes').fill(warsaw(3));
  await page.getByLabel('Survey answered alongside').selectOption({ label: surveyTitle });
  await page.getByRole('button', { name: 'Add a section' }).click();
  await page.getByRole('button', { name: 'Add a section' }).click();
  const sections = page.getByLabel('Mark (for example § 3)');
  await sections.nth(0).fill('§1');
  await sections.nth(1).fill('§2');
  const sectionTitles = page.getByRole('textbox', { name: /^Section title \(Polski\)/ });
  await sectionTitles.nth(0).fill('Oświetlenie');
  await sectionTitles.nth(1).fill('Parkingi rowerowe');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Create the consultation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('Open', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: surveyTitle })).toBeVisible();
  const consultationUrl = page.url();
  await logOut(page);

  // Ola cycles: no "Why not?"; her opinion is on §1.
  await page.goto('/register');
  await expectAccessible(page);
  await register(page, ola.name, ola.email, ola.password);
  await page.goto(consultationUrl);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const survey = page.getByRole('region', { name: surveyTitle });
  await expect(survey.getByText('0 of 1 questions answered')).toBeVisible();
  await survey.getByRole('radio', { name: 'Tak' }).check();
  await expect(survey.getByRole('group', { name: /Dlaczego nie\?/ })).toHaveCount(0);
  await expect(survey.getByText('1 of 1 questions answered')).toBeVisible();
  await survey.getByRole('button', { name: 'Send answers' }).click();
  await expect(survey.getByRole('status')).toHaveText('Thank you, your answers were recorded.');
  await page.getByLabel('Section (optional)').selectOption('§1');
  await page.getByRole('textbox', { name: 'Your opinion' }).fill(olaOpinion);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByText('Thank you, your opinion was received.')).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: olaOpinion })).toContainText('§1');
  await expectAccessible(page);
  await logOut(page);

  // Piotr does not: "Why not?" appears after "No"; his opinion is on §2.
  await register(page, piotr.name, piotr.email, piotr.password);
  await page.goto(consultationUrl);
  await survey.getByRole('radio', { name: 'Nie' }).check();
  const whyNot = survey.getByRole('group', { name: /Dlaczego nie\?/ });
  await expect(whyNot).toBeVisible();
  await expect(survey.getByText('1 of 2 questions answered')).toBeVisible();
  await whyNot.getByRole('textbox').fill('Brak bezpiecznej drogi.');
  await expect(survey.getByText('2 of 2 questions answered')).toBeVisible();
  await expectAccessible(page);
  await survey.getByRole('button', { name: 'Send answers' }).click();
  await expect(survey.getByRole('status')).toHaveText('Thank you, your answers were recorded.');
  await page.getByLabel('Section (optional)').selectOption('§2');
  await page.getByRole('textbox', { name: 'Your opinion' }).fill(piotrOpinion);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('listitem').filter({ hasText: piotrOpinion })).toContainText('§2');
  await logOut(page);

  // The official answers Ola's opinion.
  await logIn(page, official.email, official.password);
  await page.goto(consultationUrl);
  const opinion = page.getByRole('listitem').filter({ hasText: olaOpinion });
  await opinion.getByRole('textbox', { name: 'Answer to this opinion' }).fill(answer);
  await opinion.getByRole('button', { name: 'Save answer' }).click();
  await expect(opinion.getByText('The answer was saved.')).toBeVisible();
  await expect(opinion.getByText(`Answer of the municipality: ${answer}`)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Publish the report' })).toHaveCount(0);
  await expectAccessible(page);

  // Once it has closed, the report form appears and the report is published.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('Closed', { exact: true })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 200_000, intervals: [5_000] });
  await expect(page.getByText('Opinions are taken while the consultation is open.')).toBeVisible();
  const publish = page.getByRole('region', { name: 'Publish the report' });
  await publish.getByRole('textbox', { name: /^Report text \(Polski\)/ }).fill(report);
  await expectAccessible(page);
  await publish.getByRole('button', { name: 'Publish the report' }).click();
  await expect(page.getByText('Report published', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Report' })).toContainText(report);
  await expect(page.getByRole('region', { name: 'Publish the report' })).toHaveCount(0);
  await logOut(page);

  // Ola reads the answer to her opinion and the report.
  await logIn(page, ola.email, ola.password);
  await page.goto(consultationUrl);
  await expect(page.getByText('Report published', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Report' })).toContainText(report);
  const hers = page.getByRole('listitem').filter({ hasText: olaOpinion });
  await expect(hers.getByText(`Answer of the municipality: ${answer}`)).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: piotrOpinion })).not.toContainText('Answer of the municipality');
  await expect(page.getByRole('button', { name: 'Save answer' })).toHaveCount(0);
  await expectAccessible(page);
});

import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll, logIn, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

const official = {
  email: 'official@banska-bystrica.demo.pnyx.eu',
  password: process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026',
};

/** Moves the process on after reading what the move will do. */
async function moveTo(page: Page, phase: string) {
  await page.getByRole('button', { name: `Move to the next phase: ${phase}` }).click();
  await expect(page.getByRole('heading', { name: `Move to ${phase}?` })).toBeVisible();
  await page.getByRole('button', { name: `Yes, move to ${phase}` }).click();
  await expect(page.getByRole('list', { name: 'Phases' }).locator('[aria-current="step"]')).toContainText(phase);
}

async function propose(page: Page, processUrl: string, title: string, cost: string) {
  await page.goto(processUrl);
  await page.getByRole('link', { name: 'Propose a project' }).click();
  await page.getByLabel('Project title (Slovenčina)').fill(title);
  await page.getByLabel('Description (Slovenčina)').fill(`${title}: lavičky, stromy a osvetlenie.`);
  await page.getByLabel('Location').fill('Námestie SNP');
  await page.getByLabel('District').selectOption({ label: 'Centrum' });
  await page.getByLabel('Estimated cost (EUR)').fill(cost);
  await page.getByRole('button', { name: 'Submit the proposal' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

test('a resident proposes projects and votes within the budget; the official runs the process to its results', async ({ page }) => {
  // The demo official's profile speaks Slovak; this device has chosen English.
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const stamp = Date.now();
  const [park, lights, fountain] = [`Park ${stamp}`, `Osvetlenie ${stamp}`, `Fontána ${stamp}`];

  // The official sets the process up in the web app, with two districts, and moves it to proposals.
  await logIn(page, official.email, official.password);
  await page.goto('/o/banska-bystrica/budgets');
  await page.getByRole('link', { name: 'New participatory budget' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New participatory budget' })).toBeVisible();
  await page.getByLabel('Title (Slovenčina) – required').fill(`Participatívny rozpočet ${stamp}`);
  await page.getByLabel('Title (English)').fill(`Participatory budget ${stamp}`);
  await page.getByLabel('Rules in full (the regulation residents read) (Slovenčina)').fill('Každý obyvateľ môže navrhnúť projekt a hlasovať.');
  await page.getByLabel('Whole budget (EUR)').fill('1500');
  for (const [key, name, amount] of [
    ['centrum', 'Centrum', '1000'],
    ['foncorda', 'Fončorda', '500'],
  ]) {
    await page.getByRole('button', { name: 'Add a district' }).click();
    const row = page.getByRole('group', { name: /^District \d$/ }).last();
    await row.getByLabel('Short key').fill(key);
    await row.getByLabel('District name (Slovenčina) – required').fill(name);
    await row.getByLabel('District money (EUR)').fill(amount);
  }
  await page.getByLabel('Proposals', { exact: true }).fill('2026-03-01');
  await page.getByLabel('Review', { exact: true }).fill('2026-04-15');
  await page.getByLabel('Voting', { exact: true }).fill('2026-09-01');
  await page.getByLabel('Results', { exact: true }).fill('2026-08-30');
  await page.getByLabel('How residents vote').selectOption('approval');
  await page.getByLabel('At most this many projects (empty: any)').fill('3');
  await page.getByLabel('The chosen projects must fit within the money together').check();
  await page.getByRole('button', { name: 'Create the process' }).click();
  // Results before voting: refused next to the field, nothing created.
  await expect(page.getByText('A phase cannot start before the one before it.')).toBeVisible();
  await expect(page.getByLabel('Results', { exact: true })).toBeFocused();
  await page.getByLabel('Results', { exact: true }).fill('2026-09-30');
  await expect(page.getByText('Winners are chosen by: highest score first (votes or points); a project that no longer fits is skipped.')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Create the process' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Participatory budget ${stamp}` })).toBeVisible();
  const processUrl = new URL(page.url()).pathname;

  await page.goto('/o/banska-bystrica');
  await page.getByRole('link', { name: 'Participatory budget', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Participatory budgets' })).toBeVisible();
  await expect(page.getByLabel('Pabulib file (.pb)')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: `Participatory budget ${stamp}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Participatory budget ${stamp}` })).toBeVisible();
  await expect(page.getByText('Choose up to 3 projects. Together they must fit within the budget.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Phases' }).locator('[aria-current="step"]')).toContainText('Information');
  await expectAccessible(page);
  await moveTo(page, 'Proposals');
  await expect(page.getByRole('list', { name: 'Phases' }).locator('[aria-current="step"]')).toContainText('Proposals');
  await page.getByRole('button', { name: 'Log out' }).click();

  // A resident proposes three projects.
  await register(page, 'Jana Test', uniqueEmail('jana'));
  await propose(page, processUrl, park, '400');
  await expectAccessible(page);
  await propose(page, processUrl, lights, '350,50');
  await propose(page, processUrl, fountain, '300');
  await expect(page.getByRole('link', { name: 'Edit the proposal' })).toBeVisible();
  await page.getByRole('link', { name: 'All proposals' }).click();
  await expect(page.getByText('Proposals found: 3')).toBeVisible();
  await page.getByLabel('Sort by').selectOption('cost');
  await expect(page.getByRole('heading', { level: 2 }).first()).toContainText(fountain);
  await page.getByLabel('Sort by').selectOption('-cost');
  await expect(page.getByRole('heading', { level: 2 }).first()).toContainText(park);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Log out' }).click();

  // The official moves to review and finds all three feasible, then opens voting.
  await logIn(page, official.email, official.password);
  await page.goto(processUrl);
  await moveTo(page, 'Review');
  await expect(page.getByRole('list', { name: 'Phases' }).locator('[aria-current="step"]')).toContainText('Review');
  for (const title of [park, lights, fountain]) {
    await page.goto(`${processUrl}/proposals`);
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('button', { name: 'Save the review' }).click();
    await expect(page.getByText('The review was saved.')).toBeVisible();
    await expect(page.getByText('Feasible', { exact: true }).first()).toBeVisible();
  }
  await expectAccessible(page);
  await page.goto(processUrl);
  await moveTo(page, 'Voting');
  await expect(page.getByRole('list', { name: 'Phases' }).locator('[aria-current="step"]')).toContainText('Voting');
  await page.getByRole('button', { name: 'Log out' }).click();

  // A resident votes within the budget: the project that no longer fits is refused, with why.
  await register(page, 'Peter Test', uniqueEmail('peter'));
  await page.goto(processUrl);
  await page.getByRole('link', { name: 'Go to the voting booth' }).click();
  await expect(page.getByText('Remaining budget: €1,000.00 of €1,000.00')).toBeVisible();
  await page.getByRole('checkbox', { name: `Choose “${park}”` }).check();
  await page.getByRole('checkbox', { name: `Choose “${lights}”` }).check();
  await expect(page.getByText('Remaining budget: €249.50 of €1,000.00')).toBeVisible();
  const refused = page.getByRole('checkbox', { name: `Choose “${fountain}”` });
  await expect(refused).toBeDisabled();
  await expect(refused).toHaveAccessibleDescription('Not available: over the remaining budget (it needs €50.50 more).');
  await page.getByLabel('projects', { exact: true }).check();
  await expect(page.getByText('Projects you can still choose: 1')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Cast my vote' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you, your vote has been cast' })).toBeVisible();
  await expect(page.getByText('Total cost of your choices: €750.50')).toBeVisible();
  await expectAccessible(page);

  // On return, the ballot cast is shown and can be changed.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Your current ballot' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: park })).toBeVisible();
  await page.getByRole('button', { name: 'Change my ballot' }).click();
  await expect(page.getByRole('checkbox', { name: `Choose “${park}”` })).toBeChecked();
  await page.getByRole('button', { name: 'Log out' }).click();

  // The official enters a paper ballot by the codes printed on the paper; a wrong code is refused by row.
  await logIn(page, official.email, official.password);
  await page.goto(processUrl);
  const paper = page.getByRole('region', { name: 'Paper ballots' });
  const codes = paper.getByRole('table', { name: 'Codes printed on the paper ballot' });
  await expect(codes.getByRole('row')).toHaveCount(4);
  const codeOf = async (title: string) => (await codes.getByRole('row', { name: new RegExp(title) }).getByRole('rowheader').innerText()).trim();
  const [parkCode, lightsCode] = [await codeOf(park), await codeOf(lights)];
  const csv = paper.getByLabel('Ballots (CSV)');
  await expect(csv).toHaveValue('district,choices\n');
  await csv.fill(`district,choices\ncentrum,${parkCode};${lightsCode}\ncentrum,NOPE-1\n`);
  await paper.getByRole('button', { name: 'Enter the paper ballots' }).click();
  await expect(paper.getByRole('alert')).toContainText('No ballot was entered.');
  await expect(paper.getByRole('alert').getByRole('listitem')).toHaveText(['line 3: no proposal has the code `NOPE-1`']);
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await csv.fill(`district,choices\ncentrum,${parkCode};${lightsCode}\n`);
  await paper.getByRole('button', { name: 'Enter the paper ballots' }).click();
  await expect(paper.getByRole('status')).toHaveText('Paper ballots entered: 1.');
  await expect(paper.getByRole('alert')).toHaveCount(0);
  await expect(csv).toHaveValue('district,choices\n');

  // The official closes voting: the results show the winners and the first project that no longer fit.
  await moveTo(page, 'Results');
  await expect(page.getByRole('list', { name: 'Phases' }).locator('[aria-current="step"]')).toContainText('Results');
  await page.getByRole('link', { name: 'See the results' }).click();
  const winners = page.getByRole('region', { name: 'Winning projects, in order of selection' });
  await expect(winners.getByRole('listitem')).toHaveCount(2);
  // The online ballot and the paper one count together.
  await expect(winners.getByRole('listitem').filter({ hasText: park })).toContainText('votes: 2');
  await expect(page.getByText('The first project that no longer fits: skipped')).toBeVisible();
  await expect(page.getByText(/“Fontána[^”]*” was the first that no longer fit/)).toBeVisible();
  await page.getByLabel('Outcome rule', { exact: true }).selectOption('equal_shares');
  await expect(page).toHaveURL(/rule=equal_shares/);
  await expect(page.getByRole('definition').filter({ hasText: 'Method of Equal Shares (completed)' })).toBeVisible();
  await expectAccessible(page);

  // The winners move into implementation; the official reports progress on one, which everyone sees.
  await page.goto(processUrl);
  await moveTo(page, 'Implementation');
  await page.getByRole('link', { name: 'Implementation', exact: true }).click();
  const winner = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: park }) });
  await winner.getByText(`Post an update on “${park}”`).click();
  await winner.getByLabel('What has been done (Slovenčina)').fill('Vysadených 12 stromov a osadené lavičky.');
  await winner.getByLabel('Total spent so far (EUR)').fill('150');
  await winner.getByLabel('Works', { exact: true }).selectOption('in_progress');
  await winner.getByRole('button', { name: 'Post the update' }).click();
  await expect(winner.getByText('The update was published.')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.goto(`${processUrl}/implementation`);
  await expect(winner.getByText('Vysadených 12 stromov a osadené lavičky.')).toBeVisible();
  await expect(winner.getByText('In progress').first()).toBeVisible();
});

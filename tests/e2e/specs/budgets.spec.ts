import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, logIn, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

const official = {
  email: 'official@banska-bystrica.demo.pnyx.eu',
  password: process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026',
};

async function propose(page: Page, processUrl: string, title: string, cost: string) {
  await page.goto(processUrl);
  await page.getByRole('link', { name: 'Propose a project' }).click();
  await page.getByLabel('Project title (Slovenčina)').fill(title);
  await page.getByLabel('Description (Slovenčina)').fill(`${title}: lavičky, stromy a osvetlenie.`);
  await page.getByLabel('Location').fill('Námestie SNP');
  await page.getByLabel('Estimated cost (EUR)').fill(cost);
  await page.getByRole('button', { name: 'Submit the proposal' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

test('a resident proposes projects and votes within the budget; the official runs the process to its results', async ({ page }) => {
  // The demo official's profile speaks Slovak; this device has chosen English.
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const stamp = Date.now();
  const [park, lights, fountain] = [`Park ${stamp}`, `Osvetlenie ${stamp}`, `Fontána ${stamp}`];

  // The official creates a process (through the API) and moves it to proposals on its page.
  await logIn(page, official.email, official.password);
  const token = await page.evaluate(async () => {
    const r = await fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'include' });
    return ((await r.json()) as { access_token: string }).access_token;
  });
  const created = await page.request.post('/api/v1/orgs/banska-bystrica/budgets', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      title: { sk: `Participatívny rozpočet ${stamp}`, en: `Participatory budget ${stamp}` },
      rules_text: { sk: 'Každý obyvateľ môže navrhnúť projekt a hlasovať.', en: 'Every resident may propose a project and vote.' },
      total: 100000,
      ballot_rule: { kind: 'approval', knapsack: true, max_projects: 3 },
      outcome_rule: 'greedy',
      schedule: { proposals: '2026-03-01', review: '2026-04-15', voting: '2026-09-01', results: '2026-09-30' },
    },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const processUrl = `/o/banska-bystrica/budgets/${id}`;

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
  await page.getByRole('button', { name: 'Move to the next phase: Proposals' }).click();
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
  await page.getByRole('button', { name: 'Move to the next phase: Review' }).click();
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
  await page.getByRole('button', { name: 'Move to the next phase: Voting' }).click();
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

  // The official closes voting: the results show the winners and the first project that no longer fit.
  await logIn(page, official.email, official.password);
  await page.goto(processUrl);
  await page.getByRole('button', { name: 'Move to the next phase: Results' }).click();
  await expect(page.getByRole('list', { name: 'Phases' }).locator('[aria-current="step"]')).toContainText('Results');
  await page.getByRole('link', { name: 'See the results' }).click();
  const winners = page.getByRole('region', { name: 'Winning projects, in order of selection' });
  await expect(winners.getByRole('listitem')).toHaveCount(2);
  await expect(page.getByText('The first project that no longer fits: skipped')).toBeVisible();
  await expect(page.getByText(/“Fontána[^”]*” was the first that no longer fit/)).toBeVisible();
  await page.getByLabel('Outcome rule', { exact: true }).selectOption('equal_shares');
  await expect(page).toHaveURL(/rule=equal_shares/);
  await expect(page.getByRole('definition').filter({ hasText: 'Method of Equal Shares (completed)' })).toBeVisible();
  await expectAccessible(page);
});

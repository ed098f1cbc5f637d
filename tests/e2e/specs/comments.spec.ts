import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, logIn, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

const password = process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026';
const orgAdmin = { email: 'admin@sosnowiec.demo.pnyx.eu', password };

/** The first proposal of Sosnowiec's first budget, reached as a resident would: its address. */
async function firstProposal(page: Page): Promise<string> {
  await page.goto('/o/sosnowiec');
  await page.getByRole('link', { name: 'Participatory budget', exact: true }).click();
  await page.locator('main a[href^="/o/sosnowiec/budgets/"]').first().click();
  await page.getByRole('link', { name: 'Proposals', exact: true }).first().click();
  await expect(page.getByText(/Proposals found: \d+/)).toBeVisible();
  await page.locator('main .card h2 a').first().click();
  await expect(page.getByRole('heading', { level: 2, name: /^Comments/ })).toBeVisible();
  return new URL(page.url()).pathname;
}

test('residents comment and reply on a proposal, one reports, a moderator hides it with a public reason', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  const stamp = Date.now();
  const rude = `You are all idiots ${stamp}`;
  const reason = `Insults other residents (${stamp}).`;

  // A resident comments, with a link that becomes clickable but stays text.
  await register(page, 'Ola Komentarz', uniqueEmail('ola'));
  const proposal = await firstProposal(page);
  await page.getByLabel('Your comment').fill(`Great idea, see https://example.org/plan-${stamp}`);
  await page.getByRole('button', { name: 'Post comment' }).click();
  const link = page.getByRole('link', { name: `https://example.org/plan-${stamp}` });
  await expect(link).toHaveAttribute('rel', 'nofollow ugc noopener');
  await page.getByLabel('Your comment').fill(rude);
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.getByText(rude)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Log out' }).click();

  // Another resident replies to the first comment and reports the rude one.
  await register(page, 'Piotr Odpowiedź', uniqueEmail('piotr'));
  await page.goto(proposal);
  await page.getByRole('button', { name: 'Reply to Ola Komentarz' }).first().click();
  await page.getByLabel('Your reply to Ola Komentarz').fill('I agree, and the plan is good.');
  await page.getByRole('button', { name: 'Post reply' }).click();
  await expect(page.getByRole('list', { name: 'Replies to Ola Komentarz' }).getByText('I agree, and the plan is good.')).toBeVisible();
  const rudeComment = page.locator('article.comment').filter({ hasText: rude });
  await rudeComment.getByRole('button', { name: 'Report the comment by Ola Komentarz' }).click();
  const dialog = page.getByRole('dialog', { name: 'Report to the moderators' });
  await dialog.getByLabel('Offensive or abusive').check();
  await dialog.getByLabel('Anything the moderators should know (optional)').fill('Insults everyone.');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByText('Thank you. The moderators will look at it.')).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();

  // The municipality's admin moderates: the queue shows the report; they hide it with a reason.
  await logIn(page, orgAdmin.email, orgAdmin.password);
  await page.goto('/o/sosnowiec');
  await page.getByRole('link', { name: 'Moderation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Moderation' })).toBeVisible();
  const item = page.getByRole('listitem').filter({ hasText: rude });
  await expect(item.getByText('Offensive or abusive: 1')).toBeVisible();
  await expect(item.getByText('Insults everyone.')).toBeVisible();
  await expectAccessible(page);
  await item.getByRole('button', { name: 'Hide' }).click();
  await item.getByLabel('Public reason').fill(reason);
  await item.getByRole('button', { name: 'Hide' }).click();
  await expect(page.getByText('Decided. Items waiting: 0')).toBeVisible();
  await expect(item).toHaveCount(0);
  await page.getByRole('button', { name: 'Log out' }).click();

  // Everyone sees the moderator's reason instead of the text; the reply to the other comment stays.
  await page.goto(proposal);
  await expect(page.getByText(`Hidden by a moderator: ${reason}`)).toBeVisible();
  await expect(page.getByText(rude)).toHaveCount(0);
  await expect(page.getByText('I agree, and the plan is good.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Log in to comment' })).toBeVisible();
  await expectAccessible(page);
});

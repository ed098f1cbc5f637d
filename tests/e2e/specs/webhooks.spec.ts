import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll, logIn } from './helpers';

test.use({ locale: 'en-GB' });

const password = process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026';
const orgAdmin = { email: 'admin@sosnowiec.demo.pnyx.eu', password };

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

test('an admin subscribes a webhook, sees its secret once, sends a test that arrives signed, and reads the delivery log', async ({ page }) => {
  // A receiver on this machine (scripts/e2e.sh lets the server post to loopback addresses).
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pnyx-${Date.now()}`;
  try {
    await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
    await logIn(page, orgAdmin.email, orgAdmin.password);
    await page.goto('/o/sosnowiec/admin/settings');
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();

    // An address that is not public HTTPS is refused, naming the field.
    await page.getByLabel('Address (URL)').fill('http://intranet.example.org/hook');
    await page.getByRole('button', { name: 'Add the webhook' }).click();
    await expect(page.getByText('must start with https://')).toBeVisible();

    await page.getByLabel('Address (URL)').fill(url);
    await page.getByLabel('Description (for the admins)').fill('E2E receiver');
    await page.getByRole('checkbox', { name: /A consultation opened/ }).check();
    await page.getByRole('button', { name: 'Add the webhook' }).click();
    const secret = (await page.locator('code.secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const row = page.getByRole('row').filter({ hasText: url });
    await expect(row).toContainText('Active');
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await expect(page.locator('code.secret')).toHaveCount(0);

    await row.getByRole('button', { name: 'Send a test' }).click();
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(1);
    const r = received[0]!;
    const ts = String(r.headers['pnyx-webhook-timestamp']);
    const expected = `v1=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`;
    expect(r.headers['pnyx-webhook-signature']).toBe(expected);
    expect(JSON.parse(r.body)).toMatchObject({ type: 'ping', organisation: 'sosnowiec' });

    await row.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByRole('region', { name: `Deliveries to ${url}` });
    await expect(log.getByRole('row').filter({ hasText: 'ping' })).toContainText('Delivered', { timeout: 10_000 });
    await expectAccessible(page);

    // Paused, it takes no tests; deleted, it is gone.
    await row.getByRole('button', { name: 'Pause' }).click();
    await expect(row).toContainText('Paused');
    await expect(row.getByRole('button', { name: 'Send a test' })).toBeDisabled();
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('row').filter({ hasText: url })).toHaveCount(0);
  } finally {
    server.close();
  }
});

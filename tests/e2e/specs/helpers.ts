import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path_ from 'node:path';

/** WCAG 2.2 AA scan: no serious or critical violation on the page as it is now. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Whether the page is wider than the window (something would scroll sideways). */
export async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    // Name the widest culprits, for a useful failure.
    return [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().right)}px)`);
  });
}

/** Nothing on the page as it is now scrolls sideways on a 360 px wide phone (the window is then put back). */
export async function expectNoSidewaysScroll(page: Page) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await overflow(page)).toEqual([]);
  if (before) await page.setViewportSize(before);
}

export const admin = {
  email: process.env.PNYX_E2E_ADMIN_EMAIL ?? 'e2e-admin@example.org',
  password: process.env.PNYX_E2E_ADMIN_PASSWORD ?? 'e2e admin password 2026',
};

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
}

/**
 * Registers, then confirms the address the way a resident does: opens the link of the newest
 * verification e-mail (as the SMTP server of scripts/e2e.sh received it: an .eml file in
 * PNYX_E2E_MAIL_DIR), which signs them in,
 * and goes on to the home page.
 */
export async function register(page: Page, name: string, email: string, password = 'a long resident password') {
  const since = Date.now();
  await page.goto('/register');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your e-mail' })).toBeVisible();
  await page.goto(await mailedLink(email, '/verify-email', since));
  await expect(page.getByText('Your e-mail address is confirmed.')).toBeVisible();
  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page.getByRole('link', { name })).toBeVisible();
}

/** A MIME message's headers and its parts' bodies decoded (quoted-printable or base64), for searching. */
function decodedMail(raw: string): string {
  // The headers as they are (To:), then each part's body decoded: never the encoded bodies, whose
  // quoted-printable `=3D` would read as part of a link.
  const bodies = [raw.split(/\r?\n\r?\n/)[0]];
  const part = /Content-Transfer-Encoding:\s*(quoted-printable|base64)\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)(?=\r?\n--)/gi;
  for (const [, encoding, body] of raw.matchAll(part)) {
    if (encoding.toLowerCase() === 'base64') {
      bodies.push(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'));
    } else {
      const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      bodies.push(Buffer.from(bytes, 'latin1').toString('utf8'));
    }
  }
  return bodies.join('\n');
}

/**
 * The link (`path?token=…`) of the newest e-mail to `email` written after `since`, waiting for the
 * server's outbox worker to write it.
 */
export async function mailedLink(email: string, path: string, since = 0): Promise<string> {
  const dir = process.env.PNYX_E2E_MAIL_DIR;
  if (!dir) throw new Error('PNYX_E2E_MAIL_DIR is not set: run the browser tests with scripts/e2e.sh');
  const pattern = new RegExp(`https?://[^\\s"<>]*${path.replace(/[/]/g, '\\/')}\\?token=[A-Za-z0-9_-]+`);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    const found = files
      .map((f) => ({ file: path_.join(dir, f), at: fs.statSync(path_.join(dir, f)).mtimeMs }))
      .filter((f) => f.at >= since - 1000)
      .sort((a, b) => b.at - a.at)
      .map((f) => decodedMail(fs.readFileSync(f.file, 'utf8')))
      .filter((m) => new RegExp(`^To: ${email.replace(/[.+]/g, '\\$&')}\\s*$`, 'mi').test(m))
      .map((m) => pattern.exec(m)?.[0])
      .find((link) => link);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no e-mail to ${email} with a ${path} link in ${dir}`);
}

/**
 * The decoded text of the newest e-mail to `email` written after `since` whose text contains
 * `needle`, waiting for the server's outbox worker to write it.
 */
export async function mailedText(email: string, needle: string, since = 0): Promise<string> {
  const dir = process.env.PNYX_E2E_MAIL_DIR;
  if (!dir) throw new Error('PNYX_E2E_MAIL_DIR is not set: run the browser tests with scripts/e2e.sh');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    const found = files
      .map((f) => ({ file: path_.join(dir, f), at: fs.statSync(path_.join(dir, f)).mtimeMs }))
      .filter((f) => f.at >= since - 1000)
      .sort((a, b) => b.at - a.at)
      .map((f) => decodedMail(fs.readFileSync(f.file, 'utf8')))
      .filter((m) => new RegExp(`^To: ${email.replace(/[.+]/g, '\\$&')}\\s*$`, 'mi').test(m))
      .find((m) => m.includes(needle));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no e-mail to ${email} containing "${needle}" in ${dir}`);
}

export async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
}

export async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible();
}

/** What a datetime-local input in `timeZone` shows `minutes` from now. */
export function localInput(timeZone: string, minutes: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(Date.now() + minutes * 60_000));
  const get = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

// Headless Chromium for the sign-in page's browser tests (playwright-core driving Debian's
// chromium; CHROMIUM_PATH overrides /usr/bin/chromium). Without the browser a test file skips
// itself, except under CI=true, where .ci/run installs it and a missing browser fails the run.
// LOGIN_SCREENSHOT=<dir> makes `shot` save a screenshot of each step.
import fs from 'node:fs';
import net from 'node:net';
import type { Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // `localhost` (a secure context, and a valid WebAuthn RP id) is the server's IPv4 loopback.
  '--host-resolver-rules=MAP localhost 127.0.0.1'];
export const hasChromium = fs.existsSync(CHROMIUM);

/** Registers the missing-browser test (fails under CI, skips elsewhere); answers `describe` or `describe.skip`. */
export function describeWithChromium(what: string): jest.Describe {
  if (!hasChromium) {
    if (process.env.CI) test(`headless Chromium is installed at ${CHROMIUM}`, () => { throw new Error(`no Chromium at ${CHROMIUM}`); });
    else test.skip(`${what} — skipped: no Chromium at ${CHROMIUM} (install it or set CHROMIUM_PATH)`, () => {});
  }
  return hasChromium ? describe : describe.skip;
}

/** Saves `<LOGIN_SCREENSHOT>/<name>.png` when LOGIN_SCREENSHOT is set. */
export async function shot(page: Page, name: string) {
  const dir = process.env.LOGIN_SCREENSHOT;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** A free loopback port, so the server's PUBLIC_URL (and so the passkeys' origin) is known before it starts. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

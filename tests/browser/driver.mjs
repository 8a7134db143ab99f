// Drives one headless Chromium (the binary shipped in @sparticuz/chromium) for the pytest
// harness in harness.py. Commands arrive as JSON lines on stdin, answers leave as JSON
// lines on stdout: {id, op, ...} -> {id, result} or {id, error}. Pages expose their test
// operations as window.flowchat.<name>(...args), which "call" awaits.
import readline from 'node:readline';
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';

const EXTRA_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

// Its Lambda-tuned args minus two that would make the tests prove less: with
// --disable-web-security CORS is not enforced (pages and the emulator are cross-origin on
// purpose), and --single-process cannot host a second browser context (another user).
const DROPPED_ARGS = new Set(['--disable-web-security', '--single-process']);

const browser = await puppeteer.launch({
  executablePath: await chromium.executablePath(),
  headless: 'shell',
  args: [...chromium.args.filter(arg => !DROPPED_ARGS.has(arg)), ...EXTRA_ARGS],
  protocolTimeout: 120_000,
});
const contexts = new Map([['default', browser.defaultBrowserContext()]]);
const pages = new Map();
let nextId = 1;

function pageOf(id) {
  const entry = pages.get(id);
  if (!entry) throw new Error(`no page ${id}`);
  return entry;
}

const ops = {
  async newContext() {
    const id = `c${nextId++}`;
    contexts.set(id, await browser.createBrowserContext());
    return id;
  },
  async closeContext({ context }) {
    const found = contexts.get(context);
    contexts.delete(context);
    if (found && context !== 'default') await found.close();
    return null;
  },
  async newPage({ context = 'default', url }) {
    const page = await contexts.get(context).newPage();
    const id = `p${nextId++}`;
    const log = [];
    const requests = [];
    page.on('request', request => requests.push(`${request.method()} ${request.url()}`));
    page.on('console', message => log.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', error => log.push(`pageerror: ${error.message}`));
    page.on('requestfailed', request =>
      log.push(`requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
    pages.set(id, { page, log, requests });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.flowchat !== undefined, { timeout: 30_000 });
    return id;
  },
  async call({ page, fn, args = [], timeout_ms = 30_000 }) {
    const { page: target } = pageOf(page);
    target.setDefaultTimeout(timeout_ms);
    return await target.evaluate(
      (name, values) => window.flowchat[name](...values), fn, args);
  },
  async log({ page }) {
    return pageOf(page).log;
  },
  async requests({ page }) {
    return pageOf(page).requests;
  },
  async screenshot({ page, path }) {
    await pageOf(page).page.screenshot({ path, fullPage: true });
    return path;
  },
  async closePage({ page }) {
    const entry = pages.get(page);
    pages.delete(page);
    if (entry) await entry.page.close();
    return null;
  },
  async version() {
    return await browser.version();
  },
};

const input = readline.createInterface({ input: process.stdin });
input.on('line', async line => {
  let command;
  try {
    command = JSON.parse(line);
  } catch {
    return;
  }
  try {
    const result = await ops[command.op](command);
    process.stdout.write(JSON.stringify({ id: command.id, result: result ?? null }) + '\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ id: command.id, error: String(error?.message ?? error) }) + '\n');
  }
});
input.on('close', async () => {
  await browser.close();
  process.exit(0);
});
process.stdout.write(JSON.stringify({ ready: await browser.version() }) + '\n');

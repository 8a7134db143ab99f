// Drives one headless Chromium (the binary shipped in @sparticuz/chromium) for the pytest
// harness in harness.py. Commands arrive as JSON lines on stdin, answers leave as JSON
// lines on stdout: {id, op, ...} -> {id, result} or {id, error}. Pages expose their test
// operations as window.flowchat.<name>(...args), which "call" awaits. An app page (opened
// with `ready`, a selector to wait for) is driven through its UI instead: click, fill,
// press, text and waitText find elements by puppeteer's ARIA (role + accessible name) and
// text selectors, optionally inside the first element matching `within` whose text
// contains `within.text` (e.g. the one message article holding a given text).
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
  async newPage({ context = 'default', url, ready = null, viewport = null }) {
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
    if (viewport) await page.setViewport(viewport);
    await page.goto(url, { waitUntil: 'load' });
    if (ready) await page.waitForSelector(ready, { timeout: 30_000 });
    else await page.waitForFunction(() => window.flowchat !== undefined, { timeout: 30_000 });
    return id;
  },
  async click({ page, selector, within, timeout_ms = 15_000 }) {
    const element = await find(pageOf(page).page, selector, within, timeout_ms);
    await element.click();
    return null;
  },
  async fill({ page, selector, text, within, timeout_ms = 15_000 }) {
    const element = await find(pageOf(page).page, selector, within, timeout_ms);
    await element.click({ count: 3 });
    await element.evaluate(input => { input.value = ''; });
    await element.type(text);
    return null;
  },
  async press({ page, key }) {
    await pageOf(page).page.keyboard.press(key);
    return null;
  },
  async text({ page, selector, within, timeout_ms = 15_000 }) {
    const element = await find(pageOf(page).page, selector, within, timeout_ms);
    return await element.evaluate(e => e.innerText);
  },
  async waitText({ page, selector, text, gone = false, within, timeout_ms = 15_000 }) {
    const target = pageOf(page).page;
    const deadline = Date.now() + timeout_ms;
    let seen = '';
    for (;;) {
      const element = await find(target, selector, within, Math.max(deadline - Date.now(), 1))
        .catch(() => null);
      seen = element ? await element.evaluate(e => e.innerText).catch(() => '') : '';
      if (element && seen.includes(text) !== gone) return seen;
      if (Date.now() > deadline) {
        throw new Error(`${gone ? 'still' : 'never'} saw ${JSON.stringify(text)} in ${selector}: ${JSON.stringify(seen.slice(-400))}`);
      }
      await sleep(50);
    }
  },
  async evaluate({ page, expression }) {
    return await pageOf(page).page.evaluate(expression);
  },
  async focused({ page }) {
    return await pageOf(page).page.evaluate(() => {
      const e = document.activeElement;
      return e ? { tag: e.tagName.toLowerCase(), label: e.labels?.[0]?.innerText ?? e.getAttribute('aria-label') ?? e.innerText } : null;
    });
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

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

// The element matching `selector`, inside the first `within.selector` match whose text
// contains `within.text` when given; polled until `timeout` ms have passed.
async function find(page, selector, within, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const scope = within ? await scopeOf(page, within) : page;
    const found = scope ? await scope.$(selector) : null;
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no ${selector}${within ? ` in ${within.selector} with ${JSON.stringify(within.text)}` : ''}`);
    }
    await sleep(50);
  }
}

async function scopeOf(page, within) {
  for (const candidate of await page.$$(within.selector)) {
    const text = await candidate.evaluate(e => e.innerText).catch(() => '');
    if (text.includes(within.text ?? '')) return candidate;
  }
  return null;
}

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

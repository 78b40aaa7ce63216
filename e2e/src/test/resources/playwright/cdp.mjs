// A Playwright client of a Chaser browser session, connected over CDP through the gateway with
// the API key header, as a user's program would connect:
//   node cdp.mjs <endpoint> page|set-cookie|set-cookie-hold|get-cookie|hold|open-page|pages
// Prints one JSON line with what it saw; exits non-zero when it cannot connect.
import { chromium } from 'playwright-core';

const [endpoint, action] = process.argv.slice(2);
const timeout = Number(process.env.CDP_TIMEOUT_MS || 30000);
const browser = await chromium.connectOverCDP(endpoint, {
  headers: { Authorization: `Bearer ${process.env.CHASER_API_KEY}` },
  timeout,
});
const context = browser.contexts()[0];
// a browser in a microVM under TCG renders slowly: page steps get the caller's deadline too
context.setDefaultTimeout(timeout);
const out = {};
if (action === 'page') {
  const page = await context.newPage();
  await page.goto('data:text/html,<title>Hello from Chaser</title><h1 id="h">hi</h1>');
  out.title = await page.title();
  out.evaluated = await page.evaluate(() => document.getElementById('h').textContent + ':' + (6 * 7));
  const png = await page.screenshot();
  out.pngBytes = png.length;
  out.pngSignature = png.subarray(0, 8).toString('hex');
  await page.close();
} else if (action === 'set-cookie' || action === 'set-cookie-hold') {
  await context.addCookies([{ name: 'chaser', value: process.env.COOKIE_VALUE, domain: 'cookies.chaser.test',
    path: '/', expires: Math.floor(Date.now() / 1000) + 3600 }]);
  out.set = (await context.cookies('https://cookies.chaser.test/')).map(c => c.value);
  if (action === 'set-cookie-hold') {
    // the connection stays open (a lease on the session) until stdin ends or the session goes
    console.log(JSON.stringify(out));
    await new Promise(resolve => { process.stdin.on('end', resolve).resume(); browser.on('disconnected', resolve); });
    process.exit(0);
  }
} else if (action === 'open-page') {
  // a cookie set and a page left open in the browser (a fork of the session must have both)
  await context.addCookies([{ name: 'chaser', value: process.env.COOKIE_VALUE, domain: 'cookies.chaser.test',
    path: '/', expires: Math.floor(Date.now() / 1000) + 3600 }]);
  const page = await context.newPage();
  await page.goto(`data:text/html,<title>open ${process.env.COOKIE_VALUE}</title><p>kept open</p>`);
  out.title = await page.title();
} else if (action === 'pages') {
  out.titles = [];
  for (const page of context.pages()) {
    out.titles.push(await page.title());
  }
  out.cookies = (await context.cookies('https://cookies.chaser.test/')).map(c => c.value);
} else if (action === 'get-cookie') {
  out.cookies = (await context.cookies('https://cookies.chaser.test/')).map(c => c.value);
} else if (action === 'hold') {
  console.log(JSON.stringify({ connected: true }));
  await new Promise(resolve => process.stdin.on('end', resolve).resume());
}
console.log(JSON.stringify(out));
// disconnects; the browser in the session runs on
await browser.close();

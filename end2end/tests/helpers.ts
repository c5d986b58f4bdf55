import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "ledger-demo-2026";

const cspViolations = new WeakMap<Page, string[]>();

/**
 * Collects the page's Content Security Policy violations from now on, over every navigation:
 * Chromium's console reports ("Refused to execute inline script because it violates the
 * following Content Security Policy directive…") and the documents' `securitypolicyviolation`
 * events, which an init script (exempt from the page's CSP) writes to the console as well.
 */
export async function watchCsp(page: Page): Promise<string[]> {
  const known = cspViolations.get(page);
  if (known) return known;
  const found: string[] = [];
  cspViolations.set(page, found);
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) found.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const blocked = event.blockedURI || "inline code";
      console.error(`Content Security Policy violation: ${event.effectiveDirective} refused ${blocked}`);
    });
  });
  return found;
}

/** Fails when the page has broken its Content Security Policy since `watchCsp` (or `open`). */
export function expectNoCspViolations(page: Page) {
  expect(cspViolations.get(page) ?? [], "Content Security Policy violations").toEqual([]);
}

/**
 * Opens a page and waits until the app has hydrated (the body carries a marker), without a
 * Content Security Policy violation on the way: a blocked hydration script would otherwise
 * show only as a page that never hydrates.
 */
export async function open(page: Page, path: string) {
  await watchCsp(page);
  await page.goto(path);
  try {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  } finally {
    expectNoCspViolations(page);
  }
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await open(page, "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Aftermarket Ledger" })).toBeVisible();
}

/** A value no other test run has used. */
export function unique(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

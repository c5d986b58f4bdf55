import { expect, test } from "@playwright/test";
import { expectNoCspViolations, open, signIn } from "./helpers";

test("a wrong password shows an error and keeps the person on the sign-in page", async ({ page }) => {
  await signIn(page, "dealer.bangkok@demo.example", "not-the-password-1");
  await expect(page.getByRole("alert")).toContainText("The email or password is not correct.");
  await expect(page).toHaveURL(/\/login$/);
});

test("a dealer sees their home page and cannot open admin pages", async ({ page }) => {
  await signIn(page, "dealer.oslo@demo.example");
  await expect(page.getByRole("heading", { name: "Welcome, Ola Nordmann" })).toBeVisible();
  await expect(page.getByText("Fjord Elbil Service").first()).toBeVisible();

  // Around the workshop by the menu, down to a vehicle and its odometer: every page loads
  // its data in the browser under the CSP (open and signIn check it on every full load).
  const menu = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Warranty claims", "Repairs", "Stock", "Vehicles"]) {
    await menu.getByRole("link", { name, exact: true }).click();
    await expect(menu.getByRole("link", { name, exact: true })).toHaveAttribute("aria-current", "page");
  }
  await page.getByRole("link", { name: /^[A-HJ-NPR-Z0-9]{17}$/ }).first().click();
  await expect(page.getByRole("heading", { name: "Odometer history" })).toBeVisible();

  await open(page, "/admin/users");
  await expect(page.getByRole("heading", { name: "No access" })).toBeVisible();
  expectNoCspViolations(page);
});

test("switching to 中文 changes the interface and is remembered", async ({ page }) => {
  await signIn(page, "dealer.bangkok@demo.example");
  await expect(page.getByRole("heading", { name: "Welcome, Somchai Prasert" })).toBeVisible();
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("heading", { name: "欢迎，Somchai Prasert" })).toBeVisible();
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  // The choice survives a reload: the server renders in Chinese too.
  await open(page, "/");
  await expect(page.getByRole("heading", { name: "欢迎，Somchai Prasert" })).toBeVisible();
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Somchai Prasert" })).toBeVisible();
});

import { expect, test } from "@playwright/test";
import { open, signIn } from "./helpers";

test("a service manager signs in, sees their OEM and changes their profile", async ({ page }) => {
  await signIn(page, "manager@demo.example");
  await expect(page.getByRole("heading", { name: "Welcome, Greta Lind" })).toBeVisible();
  await expect(page.getByText("Sinovolt Motors").first()).toBeVisible();
  await expect(page.getByText("Review warranty claims")).toBeVisible();

  await page.getByRole("link", { name: "My profile" }).click();
  await expect(page.getByRole("heading", { name: "My profile" })).toBeVisible();
  await page.getByLabel("Time zone").fill("Mars/Olympus");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("must be an IANA time zone")).toBeVisible();
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Profile saved.")).toBeVisible();

  await open(page, "/admin/ledger");
  await expect(page.getByRole("heading", { name: "No access" })).toBeVisible();
});

test("a service manager reads their OEM's parts at the dealers, without moving stock", async ({ page }) => {
  await signIn(page, "manager.pearl@demo.example");
  await expect(page.getByRole("heading", { name: "Welcome, Li Wei" })).toBeVisible();
  await page.getByRole("link", { name: "Stock" }).click();
  await expect(page.getByRole("heading", { name: "Stock" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "DE001" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: /^PR1-/ }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: /^SV3-/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Receive goods" })).toHaveCount(0);
});

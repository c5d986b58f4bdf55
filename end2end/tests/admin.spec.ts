import { expect, test } from "@playwright/test";
import { open, signIn, signOut, unique } from "./helpers";

test("an admin creates a dealer user who can then sign in", async ({ page }) => {
  await signIn(page, "admin@demo.example");
  await expect(page.getByRole("heading", { name: "Welcome, Ada Admin" })).toBeVisible();

  await page.getByRole("link", { name: "Users", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await expect(page.getByRole("row", { name: /admin@demo\.example/ })).toBeVisible();
  await page.getByLabel("Role").selectOption("service_manager");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/role=service_manager/);
  await expect(page.getByRole("row", { name: /manager@demo\.example/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /admin@demo\.example/ })).toHaveCount(0);
  await page.getByRole("link", { name: "New user" }).first().click();
  await expect(page.getByRole("heading", { name: "New user" })).toBeVisible();

  const email = `${unique("dealer")}@e2e.example`;
  const password = "workshop-fjord-2026";
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill("Kari Verksted");
  await page.getByLabel("Role").selectOption("dealer");
  await page.getByLabel("Dealer").selectOption({ label: "NO001 · Fjord Elbil Service" });
  await page.getByLabel("Initial password").fill("short");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText("must be at least 12 characters")).toBeVisible();

  await page.getByLabel("Initial password").fill(password);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText(`User ${email} created.`)).toBeVisible();

  await open(page, `/admin/users?q=${encodeURIComponent(email)}`);
  const row = page.getByRole("row", { name: new RegExp(email) });
  await expect(row).toContainText("Kari Verksted");
  await expect(row).toContainText("Fjord Elbil Service");

  await signOut(page);

  await signIn(page, email, password);
  await expect(page.getByRole("heading", { name: "Welcome, Kari Verksted" })).toBeVisible();
  await expect(page.getByText("Register repairs, keep your parts stock")).toBeVisible();
  await expect(page.getByRole("link", { name: "Users", exact: true })).toHaveCount(0);
});

test("an admin verifies the ledger", async ({ page }) => {
  await signIn(page, "admin@demo.example");
  await expect(page.getByRole("heading", { name: "Welcome, Ada Admin" })).toBeVisible();
  await page.getByRole("link", { name: "Ledger", exact: true }).click();
  await page.getByRole("button", { name: "Verify the chain" }).click();
  await expect(page.getByText(/The ledger is intact: \d+ entries\./)).toBeVisible();
  await expect(page.getByRole("cell", { name: "session.created" }).first()).toBeVisible();
});

test("an admin imports a parts file: a bad row is named, a good file is imported", async ({ page }) => {
  await signIn(page, "admin@demo.example");
  await expect(page.getByRole("heading", { name: "Welcome, Ada Admin" })).toBeVisible();
  await open(page, "/parts/import");
  const number = unique("SV-E2E").toUpperCase();
  const header = "part_number,description,component_category,list_price_minor,currency,serialized,warranty_eligible";
  const bad = `${header}\n${number},Test pack,hv_battery,100,EUR,true,true\n${number}-2,Test motor,rocket,100,EUR,false,true\n`;
  await page.getByLabel("CSV file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "Upload" }).click();
  const errors = page.getByRole("table", { name: "Rows to correct" });
  await expect(errors).toContainText("component_category");
  await expect(errors.getByRole("cell", { name: "3", exact: true })).toBeVisible();

  const good = `${header}\n${number},Test pack,hv_battery,100,EUR,true,true\n${number}-2,Test motor,drive_unit,100,EUR,false,true\n`;
  await page.getByLabel("CSV file").setInputFiles({ name: "good.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("status")).toContainText("Imported: 2 created, 0 updated.");
  await open(page, `/parts?q=${number}`);
  await expect(page.getByRole("link", { name: number, exact: true })).toBeVisible();
});

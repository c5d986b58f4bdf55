import { expect, test } from "@playwright/test";
import { open, signIn } from "./helpers";

test("a service manager opens the alert on the home page, sees its chart and acknowledges it", async ({ page }) => {
  await signIn(page, "manager@demo.example");
  const alerts = page.getByRole("heading", { name: "Open early-warning alerts" });
  await expect(alerts).toBeVisible();
  const card = page.getByRole("listitem").filter({ hasText: "SV3-I01: 6 claims within 3 months in service" });
  await expect(card).toContainText(/the 12 months before would predict 0\.\d \(p = 0\.000\d\)/);

  await card.getByRole("link", { name: "See its failure-rate chart" }).click();
  await expect(page).toHaveURL(/\/reports\/failure-rate\?part_id=\d+.*alert=\d+/);
  await expect(page.getByRole("img", { name: "Claims per 1,000 vehicles" })).toBeVisible();
  await expect(page.getByRole("note")).toContainText("SV3-I01: 6 claims");
  // The chart's table: the latest three matured cohorts carry the claims.
  const table = page.getByRole("table", { name: "Claims per 1,000 vehicles" });
  await expect(table.getByRole("columnheader", { name: "Claims per 1,000 vehicles" })).toBeVisible();
  await expect(table.getByRole("row")).not.toHaveCount(0);
  await expect(page.getByRole("link", { name: "Download CSV" })).toHaveAttribute("href", /\/api\/v1\/reports\/failure-rate\.csv\?/);

  await open(page, "/");
  const open_card = page.getByRole("listitem").filter({ hasText: "SV3-I01" });
  await open_card.getByLabel("What is being done").fill("Inverter supplier lot quarantined; 8D report opened.");
  await open_card.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByText("No alert: no part claims more than the year before predicts.")).toBeVisible();
  await open(page, "/alerts");
  const done = page.getByRole("listitem").filter({ hasText: "SV3-I01" });
  await expect(done).toContainText("Acknowledged");
  await expect(done).toContainText("Greta Lind: Inverter supplier lot quarantined");

  await open(page, "/reports/claims-cost?group_by=dealer");
  await expect(page.getByRole("img", { name: "Approved amount" })).toBeVisible();
  await expect(page.getByRole("row", { name: /NO001/ })).toContainText("EUR");
});

test("an admin imports ECB rates and enters a rate the ECB does not publish", async ({ page }) => {
  await signIn(page, "admin@demo.example");
  await expect(page.getByRole("heading", { name: "Welcome, Ada Admin" })).toBeVisible();
  await open(page, "/admin/rates");
  await expect(page.getByRole("heading", { name: "Exchange rates" })).toBeVisible();
  const bad = "Date, USD, JPY, \n30 October 2026, 1.1172, lots, \n";
  await page.getByLabel("ECB rates file (CSV)").setInputFiles({ name: "eurofxref.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "Upload" }).click();
  const errors = page.getByRole("table", { name: "Rows to correct" });
  await expect(errors).toContainText("JPY");
  await expect(errors.getByRole("cell", { name: "2", exact: true })).toBeVisible();

  const daily = "Date, USD, JPY, ZAR, \n30 October 2026, 1.1172, 175.68, 18.6455, \n";
  await page.getByLabel("ECB rates file (CSV)").setInputFiles({ name: "eurofxref.csv", mimeType: "text/csv", buffer: Buffer.from(daily) });
  await page.getByRole("button", { name: "Upload" }).click();
  // 2 created on a fresh database (JPY and ZAR; USD is the demo's already).
  await expect(page.getByRole("status")).toContainText(/Imported: [02] created, 0 updated\./);

  await page.getByLabel("Currency", { exact: true }).first().fill("EGP");
  await page.getByLabel("Date", { exact: true }).fill("2026-10-30");
  await page.getByLabel("Units per euro").fill("54,21");
  await page.getByRole("button", { name: "Save rate" }).click();
  await expect(page.getByText("must be a positive decimal number")).toBeVisible();
  await page.getByLabel("Units per euro").fill("54.211");
  await page.getByRole("button", { name: "Save rate" }).click();
  await expect(page.getByText("must be a positive decimal number")).toHaveCount(0);
  await page.getByLabel("Currency", { exact: true }).last().fill("EGP");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/currency=EGP/);
  await expect(page.getByRole("row", { name: /EGP/ }).first()).toContainText("54.211");
  await expect(page.getByRole("row", { name: /EGP/ }).first()).toContainText("manual");
});

import { expect, test } from "@playwright/test";
import { open, signIn, unique } from "./helpers";
import { vin } from "./vin";

test("a dealer repairs a new vehicle with a serialized pack and finds it on the trace page", async ({ page }) => {
  await signIn(page, "dealer.oslo@demo.example");
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();

  // A pack on the shelf to fit.
  const pack = unique("PK").toUpperCase();
  await open(page, "/stock/receive");
  await page.getByLabel("Part number 1", { exact: true }).fill("SV3-P01");
  await page.getByLabel("Quantity 1", { exact: true }).fill("1");
  await page.getByLabel("Serials (one per unit) 1", { exact: true }).fill(pack);
  await page.getByRole("button", { name: "Receive goods" }).click();
  await expect(page.getByRole("status")).toContainText("Received: 1 movements recorded.");

  // A vehicle the ledger has never seen: registered while opening the repair.
  const newVin = vin();
  await open(page, "/repairs/new");
  await page.getByLabel("VIN").fill(newVin);
  await page.getByLabel("VIN").blur();
  await expect(page.getByText("New vehicle: register it")).toBeVisible();
  await page.getByLabel("Model", { exact: true }).selectOption({ label: "Sinovolt Motors · Sinovolt S3 (SV3)" });
  await page.getByLabel("Model year").fill("2026");
  await page.getByLabel("In service since").fill("2026-02-10");
  await page.getByLabel("Country").fill("NO");
  await page.getByLabel("Odometer (km)").fill("18250");
  await page.getByLabel("Complaint").fill("Range dropped by a third, HV isolation warning");
  await page.getByRole("button", { name: "Open repair" }).click();
  await expect(page.getByRole("heading", { name: /^RO-NO001-\d{6}$/ })).toBeVisible();
  const number = (await page.getByRole("heading", { name: /^RO-NO001-/ }).textContent())?.trim() ?? "";
  await expect(page.getByText("Open", { exact: true })).toBeVisible();

  // Completing too early names what is missing.
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Complete repair" }).click();
  await expect(page.getByRole("alert")).toContainText("at least one labour or part line");

  await page.getByLabel("Labour operation").fill("HV-PACK-RR");
  await page.getByLabel("Description").first().fill("HV battery pack remove and refit");
  await page.getByLabel("Hours").fill("6.5");
  await page.getByRole("button", { name: "Add" }).first().click();
  await expect(page.getByRole("cell", { name: "HV-PACK-RR" })).toBeVisible();

  await page.getByLabel("In / out").selectOption("installed");
  await page.getByLabel("Part number").fill("SV3-P01");
  await page.getByLabel("Serial").fill(pack);
  await page.getByRole("button", { name: "Add" }).nth(1).click();
  await expect(page.getByRole("link", { name: pack }).first()).toBeVisible();

  await page.getByLabel("Cause").fill("Cell module 7 isolation breakdown");
  await page.getByLabel("Correction").fill("Replaced HV battery pack, isolation test passed");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Complete repair" }).click();
  await expect(page.getByText("Completed", { exact: true }).first()).toBeVisible();
  await expect(page.getByText("repair.completed")).toBeVisible();
  await expect(page.getByRole("button", { name: "Add" })).toHaveCount(0);

  // The trace finds the pack by its serial: installed in this vehicle by this repair.
  await open(page, `/trace?q=${pack}`);
  await expect(page.getByRole("heading", { name: `${pack} · SV3-P01` })).toBeVisible();
  await expect(page.getByText("Installed", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: newVin })).toBeVisible();
  await expect(page.getByRole("link", { name: number }).first()).toBeVisible();

  // The vehicle page shows the repair and the pack.
  await page.getByRole("link", { name: newVin }).click();
  await expect(page.getByRole("heading", { name: newVin })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Warranty coverage left" })).toBeVisible();
  await expect(page.getByRole("link", { name: number }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: pack }).first()).toBeVisible();
});

test("a service manager reads repairs on its vehicles without editors", async ({ page }) => {
  await signIn(page, "manager@demo.example");
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await open(page, "/repairs?status=completed");
  const first = page.getByRole("link", { name: /^RO-/ }).first();
  await expect(first).toBeVisible();
  await first.click();
  await expect(page.getByRole("heading", { name: "Labour" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Complete repair" })).toHaveCount(0);
  await expect(page.getByText("Add labour")).toHaveCount(0);
});

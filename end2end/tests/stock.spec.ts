import { expect, test } from "@playwright/test";
import { open, signIn, unique } from "./helpers";

test("a dealer receives two serialized packs and finds them on hand and on the trace page", async ({ page }) => {
  await signIn(page, "dealer.goteborg@demo.example");
  await expect(page.getByRole("heading", { name: "Welcome, Elsa Lindqvist" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Below reorder point" })).toBeVisible();

  await open(page, "/stock/receive");
  const first = unique("PK").toUpperCase();
  const second = unique("PK").toUpperCase();
  await page.getByLabel("Delivery reference").fill(unique("DN"));
  await page.getByLabel("Part number 1", { exact: true }).fill("sv3-p01");
  await page.getByLabel("Quantity 1", { exact: true }).fill("2");
  await page.getByLabel("Serials (one per unit) 1", { exact: true }).fill(`${first} ${second}`);
  await page.getByRole("button", { name: "Receive goods" }).click();
  await expect(page.getByRole("status")).toContainText("Received: 2 movements recorded.");

  await open(page, "/stock?q=SV3-P01");
  await page.getByRole("link", { name: "SV3-P01" }).click();
  await expect(page.getByRole("heading", { name: "SV3-P01 · HV battery pack, SV3" })).toBeVisible();
  await expect(page.getByRole("link", { name: first }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: second }).first()).toBeVisible();

  await page.getByRole("link", { name: first }).first().click();
  await expect(page.getByRole("heading", { name: `${first} · SV3-P01` })).toBeVisible();
  await expect(page.getByText("In stock", { exact: true })).toBeVisible();
  await expect(page.getByText("part_unit.received")).toBeVisible();

  // The same serial twice is refused, naming the line.
  await open(page, "/stock/receive");
  await page.getByLabel("Part number 1", { exact: true }).fill("SV3-P01");
  await page.getByLabel("Quantity 1", { exact: true }).fill("1");
  await page.getByLabel("Serials (one per unit) 1", { exact: true }).fill(first);
  await page.getByRole("button", { name: "Receive goods" }).click();
  await expect(page.getByRole("table", { name: "Rows to correct" })).toContainText("is in stock, so it cannot be received");
});

test("a dealer scraps a part after confirming, and the movement shows in the history", async ({ page }) => {
  await signIn(page, "dealer.budapest@demo.example");
  await expect(page.getByRole("heading", { name: "Welcome, Kovács Anna" })).toBeVisible();
  await open(page, "/stock?q=SV-HV-CMB-01");
  await page.getByRole("link", { name: "SV-HV-CMB-01" }).click();
  await expect(page.getByRole("heading", { name: /SV-HV-CMB-01/ })).toBeVisible();
  await page.getByText("Scrap", { exact: true }).first().click();
  await page.getByLabel("Reason").nth(1).fill("Torn rubber");
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Scrap" }).click();
  await expect(page.getByRole("status")).toContainText("Recorded.");
  await expect(page.getByRole("cell", { name: "Torn rubber" }).first()).toBeVisible();
});

import { expect, test } from "@playwright/test";
import { signIn, signOut, unique } from "./helpers";

test("an admin records a dealer, its user and an authorization, suspends it, and the dealer sees it", async ({ page }) => {
  page.on("dialog", (dialog) => dialog.accept());
  const code = unique("EG").replace(/[^A-Za-z0-9]/g, "").slice(0, 12).toUpperCase();
  const dealerName = `Nile EV ${code}`;

  await signIn(page, "admin@demo.example");
  await expect(page.getByRole("heading", { name: "Welcome, Ada Admin" })).toBeVisible();

  // A dealer, with server-side validation shown beside the field first.
  await page.getByRole("link", { name: "Dealers", exact: true }).click();
  await page.getByLabel("Code").fill(code);
  await page.getByLabel("Name", { exact: true }).fill(dealerName);
  await page.getByLabel("Country").fill("XX");
  await page.getByLabel("City").fill("Cairo");
  await page.getByLabel("Time zone").fill("Africa/Cairo");
  await page.getByLabel("Currency").fill("EGP");
  await page.getByLabel("Labour rate per hour").fill("1500.00");
  await page.getByRole("button", { name: "Record dealer" }).click();
  await expect(page.getByText("must be an ISO 3166-1 alpha-2 country code")).toBeVisible();
  await page.getByLabel("Country").fill("EG");
  await page.getByRole("button", { name: "Record dealer" }).click();
  await expect(page.getByText("Dealer recorded.")).toBeVisible();
  await page.getByLabel("Search").fill(code);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("row")).toHaveCount(2);
  await expect(page.getByRole("cell", { name: dealerName })).toBeVisible();

  // Edit it: a labour rate with three decimals is refused beside the field.
  await page.getByRole("link", { name: code, exact: true }).click();
  await expect(page.getByLabel("City")).toHaveValue("Cairo");
  await page.getByLabel("City").fill("Alexandria");
  await page.getByLabel("Labour rate per hour").fill("1600.555");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("must be an amount with at most 2 decimals")).toBeVisible();
  await page.getByLabel("Labour rate per hour").fill("1600.50");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();
  await expect(page.getByLabel("City")).toHaveValue("Alexandria");

  // Its user.
  const email = `${code.toLowerCase()}@e2e.example`;
  const password = "nile-workshop-2026";
  await page.goto("/admin/users/new");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill("Omar Test");
  await page.getByLabel("Role").selectOption("dealer");
  await page.getByLabel("Dealer").selectOption({ label: `${code} · ${dealerName}` });
  await page.getByLabel("Initial password").fill(password);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText(`User ${email} created.`)).toBeVisible();

  // An authorization for it.
  await page.goto("/authorizations/new");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("OEM").selectOption({ label: "SVM · Sinovolt Motors" });
  await page.getByLabel("Dealer").selectOption({ label: `${code} · ${dealerName}` });
  await page.getByLabel("HV battery").check();
  await page.getByLabel("Warranty repair").check();
  await page.getByLabel("Valid from").fill("2026-01-01");
  await page.getByLabel("Valid to").fill("2028-12-31");
  await page.getByRole("button", { name: "Grant authorization" }).click();
  await expect(page.getByText("Authorization granted:")).toBeVisible();
  await page.getByRole("link", { name: /^AUTH-/ }).click();
  await expect(page.getByText("Active").first()).toBeVisible();

  // Suspend it (the confirmation dialog is accepted above).
  await page.getByLabel("Action").selectOption("suspended");
  await page.getByLabel("Effective date").fill("2026-01-15");
  await page.getByLabel("Reason").fill("HV bay audit");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("HV bay audit")).toBeVisible();
  await expect(page.getByText("authorization.suspended")).toBeVisible();
  await signOut(page);

  // The dealer sees its suspended authorization, and nobody else's.
  await signIn(page, email, password);
  await expect(page.getByRole("heading", { name: "Welcome, Omar Test" })).toBeVisible();
  await page.getByRole("link", { name: "Authorizations", exact: true }).click();
  const rows = page.getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText("Suspended");
  await expect(rows.nth(1)).toContainText(dealerName);
});

test("the admin's home shows what needs attention, and OEMs list their models and policies", async ({ page }) => {
  await signIn(page, "admin@demo.example");
  await expect(page.getByText("Dealers with no active authorization")).toBeVisible();
  await expect(page.getByText("EG001 · Nile EV Service")).toBeVisible();
  await expect(page.getByText("Expiring within 30 days")).toBeVisible();

  await page.getByRole("link", { name: "OEMs and models" }).click();
  const sinovolt = page.getByRole("article").filter({ hasText: "SVM · Sinovolt Motors" });
  await expect(sinovolt).toContainText("SV5 · Sinovolt S5 Touring · BEV");
  await expect(sinovolt).toContainText("HV battery · 96 Months · 160000 km");
  const code = `T${Date.now().toString(36).slice(-5).toUpperCase()}`;
  await sinovolt.getByLabel("Code").fill(code);
  await sinovolt.getByLabel("Model name").fill("Sinovolt Test");
  await sinovolt.getByLabel("Powertrain").selectOption("EREV");
  await sinovolt.getByRole("button", { name: "Add model" }).click();
  await expect(sinovolt).toContainText(`${code} · Sinovolt Test · EREV`);

  // Coverage is edited in place.
  const battery = sinovolt.getByRole("listitem").filter({ hasText: "HV battery · 96 Months" });
  await battery.getByLabel("Months").fill("100");
  await battery.getByRole("button", { name: "Save" }).click();
  await expect(sinovolt).toContainText("HV battery · 100 Months · 160000 km");
});

import { expect, test, type APIRequestContext } from "@playwright/test";
import { DEMO_PASSWORD, open, signIn, signOut } from "./helpers";
import { vin } from "./vin";

/** A completed repair at the Oslo dealer, set up over the REST API: a new Sinovolt S3,
 * an HV fuse fitted from stock and an hour of labour. The journey itself runs in the browser. */
async function completedRepair(request: APIRequestContext): Promise<{ id: number; number: string }> {
  const login = await request.post("/api/v1/auth/login", { data: { email: "dealer.oslo@demo.example", password: DEMO_PASSWORD } });
  const headers = { Authorization: `Bearer ${(await login.json()).token}` };
  const get = async (path: string) => (await request.get(`/api/v1${path}`, { headers })).json();
  const post = async (path: string, data: object) => {
    const response = await request.post(`/api/v1${path}`, { headers, data });
    expect(response.ok(), `${path}: ${await response.text()}`).toBeTruthy();
    return response.json();
  };
  const oem = (await get("/oems")).items.find((o: { code: string }) => o.code === "SVM");
  const model = (await get(`/oems/${oem.id}/models`)).items.find((m: { code: string }) => m.code === "SV3");
  const fuse = (await get("/parts?q=SV-HV-FUSE-400&limit=5")).items.find((p: { part_number: string }) => p.part_number === "SV-HV-FUSE-400");
  await post("/stock/movements", { part_id: fuse.id, kind: "receipt", quantity: 1, reference: "E2E" });
  const car = vin();
  await post("/vehicles", { vin: car, oem_id: oem.id, model_id: model.id, model_year: 2026, in_service_date: "2026-01-15", country: "NO" });
  const repair = await post("/repairs", { vin: car, odometer_km: 9800, complaint: "HV fault lamp, no charge", cause: "HV fuse open", correction: "Replaced HV fuse" });
  await post(`/repairs/${repair.id}/labor`, { labor_code: "HV-FUSE-RR", description: "HV fuse replace", hours: 1.0 });
  await post(`/repairs/${repair.id}/parts`, { part_id: fuse.id, quantity: 1, direction: "installed" });
  await post(`/repairs/${repair.id}/complete`, {});
  return { id: repair.id, number: repair.number };
}

test("a dealer files a claim, the service manager partially approves it, the dealer sees why", async ({ page, request }) => {
  const repair = await completedRepair(request);

  await signIn(page, "dealer.oslo@demo.example");
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await open(page, `/repairs/${repair.id}`);
  await page.getByText("File a warranty claim").click();
  await page.getByLabel("Causal part").selectOption({ label: "SV-HV-FUSE-400 · HV fuse 400 A" });
  await page.getByLabel("Failure code").fill("HV-FUSE-OPEN");
  await page.getByLabel(/^SV-HV-FUSE-400 \(64\.00 EUR\)/).fill("720.00");
  await page.getByRole("button", { name: "Create draft claim" }).click();
  await expect(page.getByRole("heading", { name: /^CLM-\d{4}-\d{6}$/ })).toBeVisible();
  const number = ((await page.getByRole("heading", { name: /^CLM-/ }).textContent()) ?? "").trim();
  await expect(page.getByText("Draft", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Submit claim" }).click();
  await expect(page.getByText("Submitted", { exact: true })).toBeVisible();
  await expect(page.getByText(/Authorization AUTH-\d{4}-\d{6} covers hv battery work/)).toBeVisible();
  await expect(page.getByText(/within the 96-month HV battery warranty/)).toBeVisible();
  await signOut(page);

  await signIn(page, "manager@demo.example");
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await open(page, "/claims?queue=true");
  await expect(page.getByText("Waiting 0–2 days")).toBeVisible();
  await page.getByRole("link", { name: number }).click();
  await expect(page.getByRole("heading", { name: "Review, line by line" })).toBeVisible();
  await page.getByLabel("Decision 1", { exact: true }).selectOption("approved");
  await page.getByLabel("Decision 2", { exact: true }).selectOption("adjusted");
  await page.getByLabel("Approved amount 2", { exact: true }).fill("800");
  await page.getByLabel("Reason 2", { exact: true }).selectOption("labor_time_exceeded");
  await page.getByLabel("Comment to the dealer").fill("The labour guide allows 0.8 h for a fuse.");
  await page.getByRole("button", { name: "Record decision" }).click();
  await expect(page.getByText("Partially approved", { exact: true })).toBeVisible();
  await signOut(page);

  await signIn(page, "dealer.oslo@demo.example");
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await open(page, "/claims");
  await page.getByRole("link", { name: number }).click();
  await expect(page.getByText("Partially approved", { exact: true })).toBeVisible();
  await expect(page.getByText("adjusted · labor time exceeded")).toBeVisible();
  await expect(page.getByText("The labour guide allows 0.8 h for a fuse.")).toBeVisible();
  await expect(page.getByText("claim.partially_approved")).toBeVisible();
  await expect(page.getByText("claim.submitted")).toBeVisible();
});

/** A new Sinovolt-shaped VIN with a correct ISO 3779 check digit in position 9. */
export function vin(): string {
  const digits = String((Date.now() * 7 + Math.floor(Math.random() * 1000)) % 1_000_000).padStart(6, "0");
  const draft = `LSVSV3E20TN${digits}`;
  const value = (c: string) =>
    /[0-9]/.test(c) ? Number(c) : "12345678123457923456789"["ABCDEFGHJKLMNPRSTUVWXYZ".indexOf(c)].charCodeAt(0) - 48;
  const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
  const sum = [...draft].reduce((total, c, i) => total + value(c) * weights[i], 0);
  const check = sum % 11 === 10 ? "X" : String(sum % 11);
  return draft.slice(0, 8) + check + draft.slice(9);
}

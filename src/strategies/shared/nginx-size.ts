/**
 * A size in bytes as nginx reads it (`client_max_body_size`, ingress-nginx's `proxy-body-size`):
 * in the largest of `g`, `m`, `k` (powers of 1024) it is a whole number of, else in bytes. nginx
 * reads a bare number as bytes; it has no `b` suffix (ingress-nginx's SizeRegex allows one).
 */
export function nginxSize(bytes: number): string {
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new Error(`nginx: the check let through the size ${bytes} bytes`);
  const unit = ([['g', 1024 ** 3], ['m', 1024 ** 2], ['k', 1024]] as const).find(([, per]) => bytes % per === 0);
  return unit === undefined ? String(bytes) : `${bytes / unit[1]}${unit[0]}`;
}

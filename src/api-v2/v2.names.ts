// v2 speaks snake_case; the services take camelCase input and name fields in camelCase in their
// errors. These convert between the two mechanically, so no resource keeps its own list of names.

export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A service's field path (`primaryInterface.networkId`, `rows[3].clientId`) as v2 names it. */
export function snakeFieldPath(field: string): string {
  return field
    .split('.')
    .map((part) => snakeCase(part))
    .join('.');
}

/** A request body's keys, at every depth, in camelCase for a service (array items too). */
export function camelKeys<T = Record<string, unknown>>(value: unknown): T {
  if (Array.isArray(value)) return value.map((v) => camelKeys(v)) as T;
  if (!value || typeof value !== 'object') return value as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camelCase(k), camelKeys(v)])) as T;
}

/** An answer's keys, at every depth, in snake_case (history details and changes, written in camelCase). */
export function snakeKeys<T = unknown>(value: unknown): T {
  if (Array.isArray(value)) return value.map((v) => snakeKeys(v)) as T;
  if (!value || typeof value !== 'object') return value as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeCase(k), snakeKeys(v)])) as T;
}

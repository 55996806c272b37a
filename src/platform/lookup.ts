// Looking up something a request named in a table of the code's own: only the table's own keys count,
// so "constructor", "toString" or "__proto__" never find what every object inherits.
export function isKeyOf<T extends object>(table: T, key: unknown): key is keyof T & string {
  return typeof key === 'string' && Object.hasOwn(table, key);
}

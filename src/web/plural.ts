// One way to say how many: "1 asset", "3 assets", "1,204 rows", in pages, flashes, logs and the CLI.
// It imports nothing, so any entry point (the CLI at start-up included) may use it.

/** The count and its noun, singular for exactly one: plural(3, 'asset') is "3 assets". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

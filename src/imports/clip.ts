// Values from an uploaded file can be up to 64 KB each: pages and messages show only their start.

/** The text cut to `max` characters, with an ellipsis when cut. */
export function clipText(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

// How a tag looks wherever it is shown (asset list, asset page, the list's tag filter), and the
// type-ahead offered wherever tags are typed.
//
// Colours are free #rrggbb values set by administrators, and the Content-Security-Policy allows no
// inline styles (style-src 'self'), so a chip never carries a style attribute: its background comes
// from a class named after the colour (`tag-color-1e88e5`), defined in the stylesheet
// /tags/colors.css that tagColorsCss writes from the tags' colours, and its text colour from a fixed
// class (`tag-text-dark` or `tag-text-light`) chosen here by the background's luminance.

export interface TagRef {
  name: string;
  color: string | null;
}

const HEX = /^#([0-9a-f]{6})$/i;

/** The colour as six lower-case hex digits, or null when it is not a #rrggbb colour. */
function hexDigits(color: string | null | undefined): string | null {
  const m = color ? HEX.exec(color) : null;
  return m ? m[1]!.toLowerCase() : null;
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(color: string): number {
  const digits = hexDigits(color) ?? '000000';
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(digits.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/**
 * Dark or light text on the colour: whichever contrasts more (black against L is (L+0.05)/0.05,
 * white is 1.05/(L+0.05); they are equal at L ≈ 0.179). Either way the ratio is at least 4.58:1.
 */
export function textToneOn(color: string): 'dark' | 'light' {
  return luminance(color) > 0.179 ? 'dark' : 'light';
}

/** The classes that colour a tag: its background class and the text class that reads on it. */
export function tagColorClasses(color: string | null | undefined): string {
  const digits = hexDigits(color);
  if (!digits) return 'tag-plain';
  return `tag-color-${digits} tag-text-${textToneOn(`#${digits}`)}`;
}

export function TagChip({ tag, class: extra }: { tag: TagRef; class?: string }) {
  return <span class={`badge tag-chip ${tagColorClasses(tag.color)}${extra ? ` ${extra}` : ''}`}>{tag.name}</span>;
}

/** A row of chips, or nothing when there are no tags. */
export function TagChips({ tags, class: cls }: { tags: TagRef[]; class?: string }) {
  if (!tags.length) return null;
  return (
    <span class={`tag-chips${cls ? ` ${cls}` : ''}`}>
      {tags.map((t) => (
        <TagChip tag={t} />
      ))}
    </span>
  );
}

/**
 * The existing tags as a <datalist>, for an input with `list={id}` and `data-tag-input`. Without
 * JavaScript the browser offers the names for the first tag typed; app.js rewrites the options as
 * the box's text up to its last comma plus each name not already in the box, so every tag after a
 * comma gets the same type-ahead.
 */
export function TagOptions({ id, tags }: { id: string; tags: Array<{ name: string }> }) {
  return (
    <datalist id={id}>
      {tags.map((t) => (
        <option value={t.name} />
      ))}
    </datalist>
  );
}

/** The stylesheet behind the colour classes: one rule per distinct colour. */
export function tagColorsCss(colors: Array<string | null>): string {
  const digits = [...new Set(colors.map(hexDigits).filter((d): d is string => d !== null))].sort();
  return `${digits.map((d) => `.tag-color-${d}{background-color:#${d}}`).join('\n')}\n`;
}

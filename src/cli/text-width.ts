/**
 * How many terminal columns text takes, and cutting it to a width. Hand-written rather than
 * the `string-width` package: it needs only `Intl.Segmenter` (grapheme clusters) and Unicode
 * property escapes, both built into Node, and the table renderer is its only user. Widths follow
 * Unicode's East Asian Width (Wide and Fullwidth are 2 columns, Ambiguous is 1, as terminals
 * outside East Asian locales draw them) and emoji presentation (2 columns).
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A cluster drawn as an emoji: an emoji-presentation character, or any emoji with VS16 (U+FE0F). */
const EMOJI = /\p{Emoji_Presentation}|\p{Emoji}\uFE0F/u;
/** Characters that take no column of their own: marks, format characters, controls. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;

/**
 * East Asian Wide (W) and Fullwidth (F) blocks, from Unicode's EastAsianWidth.txt: Hangul Jamo,
 * CJK radicals, symbols and punctuation, kana, Bopomofo, CJK ideographs, Yi, Hangul syllables,
 * CJK compatibility forms, fullwidth ASCII and signs, Tangut, kana supplements, the
 * supplementary ideographic planes. Emoji are found by their Unicode property instead.
 */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

function isWide(codePoint: number): boolean {
  for (const [from, to] of WIDE) {
    if (codePoint < from) return false;
    if (codePoint <= to) return true;
  }
  return false;
}

/** Columns one grapheme cluster takes: 0, 1 or 2. */
function clusterWidth(cluster: string): number {
  if (EMOJI.test(cluster)) return 2;
  if (ZERO_WIDTH.test(cluster)) return 0;
  return isWide(cluster.codePointAt(0) ?? 0) ? 2 : 1;
}

/**
 * The number of terminal columns `text` takes (one line, no escape sequences).
 *
 * @example
 * ```ts
 * displayWidth('abc')    // 3
 * displayWidth('日本')    // 4
 * displayWidth('e\u0301') // 1 (e and a combining accent)
 * displayWidth('👍🏽')    // 2
 * ```
 */
export function displayWidth(text: string): number {
  // Printable ASCII is one column a character: most cells, measured without segmenting.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += clusterWidth(segment);
  return width;
}

/**
 * `text` cut to at most `width` columns, ending in `…` when something was cut; never splits a
 * grapheme cluster (an emoji with its modifiers, a letter with its accents).
 *
 * @example
 * ```ts
 * cutToWidth('arn:aws:iam::111122223333:role/Admin', 12) // 'arn:aws:iam…'
 * cutToWidth('日本語のテキスト', 7)                        // '日本語…'
 * cutToWidth('short', 12)                                  // 'short'
 * ```
 */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width < 1) return '';
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = clusterWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** Pads `text` with spaces to `width` columns, on the right (`end`) or the left (`start`). */
export function padToWidth(text: string, width: number, side: 'start' | 'end'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return side === 'start' ? fill + text : text + fill;
}

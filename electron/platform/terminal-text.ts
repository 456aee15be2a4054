/**
 * Text from an agent or a knowledge base, made fit for a terminal. Such text can carry control
 * sequences that a terminal obeys: set the window title or the clipboard (OSC 0/52), make a link
 * (OSC 8), answer a cursor or title report into the input (`ESC[6n`, `ESC[21t`), or reorder what
 * is shown (bidi overrides). Whatever reaches a terminal from outside Goldloop passes through here
 * first; Goldloop's own colours are added after, so they are the only sequences a user sees.
 */

/** ESC- and C1-introduced sequences: CSI, OSC, DCS, SOS, PM, APC (to their terminator), and two-byte escapes. */
const SEQUENCES = new RegExp(
  [
    '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]?', // CSI ... final byte
    '(?:\\u001b[\\]PX^_]|[\\u009d\\u0090\\u0098\\u009e\\u009f])[\\s\\S]*?(?:\\u0007|\\u001b\\\\|\\u009c|$)', // OSC, DCS, SOS, PM, APC ... ST or BEL
    '\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]?', // any other escape
  ].join('|'),
  'g',
);

/** Controls left after the sequences are gone; tab and newline are kept (a carriage return could overwrite a line). */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Characters that reorder or hide what follows them on screen. */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

const picture = (c: string): string => {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀ ... ␟
  if (code === 0x7f) return '\u2421'; // ␡
  return `\\x${code.toString(16)}`;
};
const codePoint = (c: string): string => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`;

/** Outside text with every control sequence removed and every other control shown, not obeyed. */
export function terminalSafe(text: string): string {
  return text.replace(SEQUENCES, '').replace(CONTROLS, picture).replace(BIDI, codePoint);
}

/**
 * Every string in a value passed through `terminalSafe`, and clipped to `max` characters when one
 * is given (objects and arrays are copied, the value itself is not changed).
 */
export function terminalSafeDeep<T>(value: T, max?: number): T {
  if (typeof value === 'string') return terminalSafe(max === undefined ? value : clip(value, max)) as T;
  if (Array.isArray(value)) return value.map((v) => terminalSafeDeep(v, max) as unknown) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, terminalSafeDeep(v, max)])) as T;
  }
  return value;
}

/**
 * JSON for a terminal: JSON.stringify escapes control characters already; bidi controls it leaves
 * as they are, and they are escaped here (still valid JSON, the same value when parsed).
 */
export const jsonForTerminal = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(BIDI, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** At most `max` characters: the head and the tail, and how much was cut between them. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(0, max - 40);
  const head = text.slice(0, Math.ceil(keep * 0.75));
  const tail = text.slice(text.length - Math.floor(keep * 0.25));
  return `${head} … (${text.length - head.length - tail.length} characters cut) … ${tail}`;
}

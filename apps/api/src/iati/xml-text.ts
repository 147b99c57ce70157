/**
 * Escaping for XML 1.0 written by hand (the IATI export is streamed as text, not
 * built as a DOM). Everything a charity typed — titles, purposes, donor names,
 * descriptions — goes through these, so they are tested with arbitrary strings.
 */

/**
 * Characters XML 1.0 cannot carry at all, even escaped: C0 controls other than tab,
 * line feed and carriage return, lone surrogates, U+FFFE and U+FFFF. They are dropped.
 */
const NOT_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const ATTRIBUTE_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  "'": '&apos;',
  // a parser normalizes literal tabs and line breaks in attribute values to spaces
  '\t': '&#9;',
  '\n': '&#10;',
};

/** The string without the characters XML 1.0 cannot carry. */
export function xmlCharacters(text: string): string {
  return text.replace(NOT_XML_CHARACTER, '');
}

/** Element content: `&`, `<`, `>` and carriage returns escaped, impossible characters dropped. */
export function escapeText(text: string): string {
  return xmlCharacters(text).replace(/[&<>\r]/g, (character) => TEXT_ESCAPES[character]);
}

/** An attribute value for double or single quotes: also quotes, tabs and line breaks escaped. */
export function escapeAttribute(text: string): string {
  return xmlCharacters(text).replace(/[&<>"'\t\n\r]/g, (character) => ATTRIBUTE_ESCAPES[character]);
}

export type Attributes = Record<string, string | number | boolean | null | undefined>;

/** ` name="value"` for each attribute that has a value, in the given order. */
export function attributes(values: Attributes): string {
  let text = '';
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    const written = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    text += ` ${name}="${escapeAttribute(written)}"`;
  }
  return text;
}

/** An element: empty when there is no content, otherwise with the content (already XML) inside. */
export function element(name: string, values: Attributes = {}, content = ''): string {
  return content === '' ? `<${name}${attributes(values)}/>` : `<${name}${attributes(values)}>${content}</${name}>`;
}

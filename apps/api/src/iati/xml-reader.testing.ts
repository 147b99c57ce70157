/**
 * A strict reader for the XML the service writes, for tests: it refuses anything
 * that is not well-formed XML 1.0 (unbalanced or crossed tags, a bare `&` or `<`,
 * an unknown entity, a repeated attribute, a character XML cannot carry, text
 * outside the root) instead of repairing it as lenient parsers do. It knows no
 * DOCTYPE, CDATA or processing instructions other than the XML declaration, which
 * the service never writes.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its descendants'), entities resolved. */
  text: string;
}

export class XmlSyntaxError extends Error {
  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'XmlSyntaxError';
  }
}

const NAME = /[A-Za-z_:][A-Za-z0-9._:-]*/y;
const SPACE = /[ \t\n]*/y;
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlCodePoint(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Parses a whole document; throws XmlSyntaxError at the first thing that is not well-formed. */
export function readXml(source: string): XmlElement {
  const invalid = INVALID_CHARACTER.exec(source);
  if (invalid) throw new XmlSyntaxError(`character U+${invalid[0].codePointAt(0)!.toString(16).toUpperCase()} is not allowed in XML`, invalid.index);
  // XML processors see every line end as a line feed (XML 1.0 §2.11)
  const text = source.replace(/\r\n?/g, '\n');
  let offset = 0;

  const fail = (message: string): never => {
    throw new XmlSyntaxError(message, offset);
  };
  const skipSpace = () => {
    SPACE.lastIndex = offset;
    SPACE.exec(text);
    offset = SPACE.lastIndex;
  };
  const name = (): string => {
    NAME.lastIndex = offset;
    const match = NAME.exec(text);
    if (!match) return fail('expected a name');
    offset = NAME.lastIndex;
    return match[0];
  };
  const resolve = (raw: string, start: number): string =>
    raw.replace(/&([^;]*);|&/g, (whole, body: string | undefined) => {
      if (body === undefined) throw new XmlSyntaxError('a bare "&" (write &amp;)', start);
      if (body in PREDEFINED) return PREDEFINED[body];
      const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
      if (!numeric) throw new XmlSyntaxError(`unknown entity "&${body};"`, start);
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2], 10);
      if (!isXmlCodePoint(code)) throw new XmlSyntaxError(`character reference ${whole} is not an XML character`, start);
      return String.fromCodePoint(code);
    });
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (text.startsWith('<!--', offset)) {
        const end = text.indexOf('-->', offset + 4);
        if (end < 0) fail('an unterminated comment');
        if (text.slice(offset + 4, end).includes('--')) fail('"--" inside a comment');
        offset = end + 3;
      } else return;
    }
  };

  const elementAt = (): XmlElement => {
    if (text[offset] !== '<') fail('expected "<"');
    offset += 1;
    const node: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      const before = offset;
      skipSpace();
      if (text.startsWith('/>', offset)) {
        offset += 2;
        return node;
      }
      if (text[offset] === '>') {
        offset += 1;
        break;
      }
      if (offset === before) fail('expected a space before an attribute');
      const attribute = name();
      skipSpace();
      if (text[offset] !== '=') fail(`expected "=" after attribute ${attribute}`);
      offset += 1;
      skipSpace();
      const quote = text[offset];
      if (quote !== '"' && quote !== "'") fail(`the value of ${attribute} must be quoted`);
      const end = text.indexOf(quote, offset + 1);
      if (end < 0) fail(`the value of ${attribute} is not closed`);
      const raw = text.slice(offset + 1, end);
      if (raw.includes('<')) fail(`"<" in the value of ${attribute}`);
      if (attribute in node.attributes) fail(`attribute ${attribute} appears twice on <${node.name}>`);
      node.attributes[attribute] = resolve(raw.replace(/[\t\n]/g, ' '), offset);
      offset = end + 1;
    }
    for (;;) {
      const next = text.indexOf('<', offset);
      if (next < 0) fail(`<${node.name}> is not closed`);
      const raw = text.slice(offset, next);
      if (raw.includes(']]>')) fail('"]]>" in text');
      node.text += resolve(raw, offset);
      offset = next;
      if (text.startsWith('</', offset)) {
        offset += 2;
        const closing = name();
        if (closing !== node.name) fail(`</${closing}> closes <${node.name}>`);
        skipSpace();
        if (text[offset] !== '>') fail('expected ">"');
        offset += 1;
        return node;
      }
      if (text.startsWith('<!--', offset)) {
        skipMisc();
        continue;
      }
      if (text.startsWith('<!', offset) || text.startsWith('<?', offset)) fail('markup this reader does not accept (DOCTYPE, CDATA, processing instruction)');
      node.children.push(elementAt());
    }
  };

  const declaration = /^<\?xml version="1\.0"(?: encoding="(?:UTF-8|utf-8)")?(?: standalone="(?:yes|no)")? ?\?>/.exec(text);
  if (declaration) offset = declaration[0].length;
  else if (text.startsWith('<?xml')) fail('a malformed XML declaration');
  skipMisc();
  const root = elementAt();
  skipMisc();
  if (offset !== text.length) fail('content after the root element');
  return root;
}

/** Every descendant element with this name, in document order. */
export function descendants(node: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (current: XmlElement) => {
    for (const child of current.children) {
      if (child.name === name) found.push(child);
      visit(child);
    }
  };
  visit(node);
  return found;
}

/** The first child with this name, if any. */
export function child(node: XmlElement, name: string): XmlElement | undefined {
  return node.children.find((candidate) => candidate.name === name);
}

/** All text in the element and its descendants. */
export function allText(node: XmlElement): string {
  return node.text + node.children.map(allText).join('');
}

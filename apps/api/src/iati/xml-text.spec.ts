import fc from 'fast-check';
import { readXml, XmlSyntaxError } from './xml-reader.testing.js';
import { element, escapeAttribute, escapeText, xmlCharacters } from './xml-text.js';

describe('XML escaping', () => {
  it('escapes markup characters in text and attributes', () => {
    expect(escapeText('a & b < c > d "e" \'f\'')).toBe('a &amp; b &lt; c &gt; d "e" \'f\'');
    expect(escapeAttribute('a & b < c > d "e" \'f\'')).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;');
  });

  it('drops characters XML 1.0 cannot carry, keeps the rest (CJK, emoji, tabs, line breaks)', () => {
    expect(xmlCharacters('深圳\u0000市\u0008慈善\uFFFE会\uD800 😀\t\n')).toBe('深圳市慈善会 😀\t\n');
  });

  it('writes empty elements self-closed, skips absent attributes, writes booleans as 1/0', () => {
    expect(element('value', { currency: undefined, 'value-date': '2024-03-01', humanitarian: true }, '12.50')).toBe(
      '<value value-date="2024-03-01" humanitarian="1">12.50</value>',
    );
    expect(element('recipient-country', { code: 'CN', percentage: null })).toBe('<recipient-country code="CN"/>');
  });

  it('round-trips any string through a strict reader, in text and in attributes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (value) => {
        const root = readXml(`<?xml version="1.0" encoding="UTF-8"?>\n<a title="${escapeAttribute(value)}">${escapeText(value)}</a>`);
        expect(root.attributes.title).toBe(xmlCharacters(value));
        expect(root.text).toBe(xmlCharacters(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('the strict reader refuses what lenient parsers repair', () => {
    for (const broken of ['<a>&</a>', '<a><b></a>', '<a x="1" x="2"/>', '<a>\u0001</a>', '<a b="<"/>', '<a>&nbsp;</a>', '<a/><b/>', '<a>&#0;</a>']) {
      expect(() => readXml(broken)).toThrow(XmlSyntaxError);
    }
  });
});

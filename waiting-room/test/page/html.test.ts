import { describe, expect, it } from 'vitest';
import { escapeHtml, html, jsonForScript } from '../../src/page/html.ts';

describe('html template', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = `<script>alert("x")</script> & 'quoted'`;
    const out = html`<p title="${name}">${name}</p>`.value;
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;</p>',
    );
  });

  it('passes nested templates through, joins arrays and drops empty values', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value).toBe(
      '<ul><li>a&lt;b</li><li>c</li></ul>0',
    );
  });

  it('embeds JSON that cannot close its script element', () => {
    const embedded = jsonForScript({
      name: '</script><script>alert(1)</script>',
      amp: 'a&b',
    }).value;
    expect(embedded).not.toContain('<');
    expect(embedded).not.toContain('>');
    expect(JSON.parse(embedded)).toEqual({
      name: '</script><script>alert(1)</script>',
      amp: 'a&b',
    });
  });

  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

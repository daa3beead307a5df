/**
 * What visitors write in comments is shown to everyone: the markdown subset must render every
 * hostile input inert, and keep only paragraphs, line breaks, emphasis, strong, code, links and
 * quotes.
 */
import { describe, expect, it } from 'vitest';
import { countLinks, renderComment } from './comments';

/** Hostile inputs: raw HTML, markdown tricks, entity and encoding tricks. */
export const XSS_CORPUS = [
	'<script>alert(1)</script>',
	'<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
	'<scr<script>ipt>alert(1)</scr</script>ipt>',
	'<img src=x onerror=alert(1)>',
	'<img src="x" onerror="alert(1)"/>',
	'![x](javascript:alert(1))',
	'![x" onerror="alert(1)](https://example.org/a.png)',
	'<body onload=alert(1)>',
	'<div onmouseover="alert(1)">survol</div>',
	'<a href="javascript:alert(1)">x</a>',
	'<a href="jav&#x09;ascript:alert(1)">x</a>',
	'<a href="jav&#x0A;ascript:alert(1)">x</a>',
	'<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
	'<a href="  JaVaScRiPt:alert(1)">x</a>',
	'<a href="vbscript:msgbox(1)">x</a>',
	'<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
	'[x](javascript:alert(1))',
	'[x](JAVASCRIPT:alert(1))',
	'[x]( javascript:alert(1) )',
	'[x](javascript&#58;alert(1))',
	'[x](jav&#x09;ascript:alert(1))',
	'[x](&#106;avascript:alert(1))',
	'[x](<javascript:alert(1)>)',
	'[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
	'[x](vbscript:msgbox(1))',
	'[x](//evil.example)',
	'[x][r]\n\n[r]: javascript:alert(1)',
	'[x](https://example.org "title" onclick="alert(1)")',
	'[x](https://example.org"onmouseover="alert(1))',
	'[<img src=x onerror=alert(1)>](https://example.org)',
	'<iframe src="https://evil.example"></iframe>',
	'<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
	'<svg onload=alert(1)>',
	'<svg><script>alert(1)</script></svg>',
	'<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
	'<style>body{background:url(javascript:alert(1))}</style>',
	'<p style="background:url(javascript:alert(1))">x</p>',
	'<object data="javascript:alert(1)"></object>',
	'<embed src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
	'<form action="javascript:alert(1)"><button>x</button></form>',
	'<input autofocus onfocus=alert(1)>',
	'<details open ontoggle=alert(1)>',
	'<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
	'<base href="javascript:alert(1)//">',
	'<link rel="stylesheet" href="javascript:alert(1)">',
	'&lt;script&gt;alert(1)&lt;/script&gt;',
	'&#60;script&#62;alert(1)&#60;/script&#62;',
	'<<script>script>alert(1)<</script>/script>',
	'<!--<script>alert(1)//-->',
	'<![CDATA[<script>alert(1)</script>]]>',
	'`<script>alert(1)</script>`',
	'```\n<script>alert(1)</script>\n```',
	'> <script>alert(1)</script>',
	'**<img src=x onerror=alert(1)>**',
	'<a href="https://example.org" onclick="alert(1)">x</a>',
	'<a href="https://example.org" target="_blank">x</a>'
];

/** Every opening tag of the output, to check its attributes. */
const tags = (html: string) => html.match(/<[a-z][^>]*>/gi) ?? [];

describe('comment markdown', () => {
	it('keeps the allowed subset', () => {
		expect(renderComment('**gras** et *italique*, `code`\nligne suivante\n\n> citation\n\n[lien](https://example.org)')).toBe(
			'<p><strong>gras</strong> et <em>italique</em>, <code>code</code><br />ligne suivante</p>\n<blockquote>\n<p>citation</p>\n</blockquote>\n<p><a href="https://example.org" rel="nofollow ugc noopener">lien</a></p>\n'
		);
	});

	it('leaves out headings, images, tables, lists and raw HTML', () => {
		const html = renderComment(
			'# Titre\n\n![image](https://example.org/a.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- un\n- deux\n\n<b>gras</b> <div>bloc</div>'
		);
		expect(html).not.toMatch(/<h\d|<img|<table|<ul|<li|<b>|<div/);
		expect(html).toContain('# Titre');
		expect(html).toContain('image');
	});

	it('renders every payload of the corpus inert', () => {
		for (const p of XSS_CORPUS) {
			const html = renderComment(p);
			expect(html, p).not.toMatch(/<script|<iframe|<svg|<style|<img|<object|<embed|<form|<input|<math|<meta|<base|<link|<details|<body/i);
			expect(html, p).not.toMatch(/javascript:|vbscript:|data:/i);
			for (const tag of tags(html)) {
				expect(tag, p).not.toMatch(/\son[a-z]+\s*=/i);
				expect(tag, p).not.toMatch(/\s(style|src|srcdoc|target|action|formaction)\s*=/i);
				expect(tag, p).toMatch(/^<(p|br|em|strong|code|pre|a|blockquote)[\s/>]/);
				const href = /href="([^"]*)"/.exec(tag)?.[1];
				if (href) expect(href, p).toMatch(/^(https?:\/\/|mailto:|\/[^/]|#)/);
			}
		}
	});

	it('marks every link nofollow, ugc and noopener', () => {
		for (const p of ['[a](https://example.org)', 'https://example.org', 'www.example.org', '<https://example.org>']) {
			const links = tags(renderComment(p)).filter((t) => t.startsWith('<a'));
			expect(links.length, p).toBe(1);
			expect(links[0], p).toContain('rel="nofollow ugc noopener"');
		}
	});

	it('counts links however they are written', () => {
		expect(countLinks('rien')).toBe(0);
		expect(countLinks('[a](https://a.example) et https://b.example')).toBe(2);
		expect(countLinks('www.a.example www.b.example <a href="http://c.example">c</a>')).toBe(3);
	});
});

import { describe, expect, it } from 'vitest';
import { parseRefs, renderMarkdown } from './markdown';

describe('markdown', () => {
	it('renders the common subset', () => {
		expect(renderMarkdown('# Titre\n\n**gras** et *italique*\n\n- un\n- deux')).toBe(
			'<h1>Titre</h1>\n<p><strong>gras</strong> et <em>italique</em></p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n'
		);
	});

	it('renders hostile input inert', () => {
		const payloads = [
			'<script>alert(1)</script>',
			'<img src=x onerror=alert(1)>',
			'[clic](javascript:alert(1))',
			'<a href="javascript:alert(1)">x</a>',
			'<iframe src="https://evil.example"></iframe>',
			'<svg onload=alert(1)>',
			'<p style="background:url(javascript:alert(1))">x</p>',
			'[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'
		];
		for (const p of payloads) {
			const html = renderMarkdown(p);
			expect(html, p).not.toMatch(/<script|onerror|onload|javascript:|<iframe|<svg|style=|data:text/i);
		}
	});

	it('finds inline references by title or by typed id', () => {
		expect(parseRefs('voir [[Coordination du labo]] et [[knowledge:0F8FAD5B-D9CB-469F-A165-70867728950E]]')).toEqual([
			{ raw: '[[Coordination du labo]]', type: null, id: null, title: 'Coordination du labo' },
			{ raw: '[[knowledge:0F8FAD5B-D9CB-469F-A165-70867728950E]]', type: 'knowledge', id: '0f8fad5b-d9cb-469f-a165-70867728950e', title: null }
		]);
	});

	it('turns resolved references into links and the others into text', () => {
		const html = renderMarkdown('[[A]] puis [[B]]', (r) => (r.title === 'A' ? { href: '/l/x/knowledge/1', label: 'A' } : null));
		expect(html).toBe('<p><a href="/l/x/knowledge/1">A</a> puis B</p>\n');
	});
});

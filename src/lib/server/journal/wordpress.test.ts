import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
	autop,
	decodeDataUri,
	expandShortcodes,
	htmlToMarkdown,
	htmlToText,
	oldAddresses,
	parisToIso,
	parseWxr,
	splitEpisodeTitle,
	stripCommenterEmails,
	wpDate,
	WxrError,
	type ConvertOptions,
	type WxrSite
} from './wordpress';
import { normalizeOldPath } from './redirects';
import { prepareJournalImage } from './images';

const FIXTURES = path.resolve(__dirname, '../../../../tests/fixtures/wordpress');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function wxrError(text: string): WxrError {
	try {
		parseWxr(text);
	} catch (e) {
		if (e instanceof WxrError) return e;
		throw e;
	}
	throw new Error('expected a WxrError');
}

const wrap = (channel: string, version = '1.2') =>
	`<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/${version}/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n<title>T</title>\n<link>https://b.example</link>\n<wp:wxr_version>${version}</wp:wxr_version>\n${channel}\n</channel>\n</rss>\n`;

describe('parseWxr', () => {
	it('reads a WXR 1.2 export: site, authors, terms, items by type, comments', () => {
		const site = parseWxr(fixture('carnet-wxr-1.2.xml'));
		expect(site.version).toBe('1.2');
		expect(site.title).toBe('Le carnet du Labo');
		expect(site.link).toBe('https://carnet.labo-exemple.fr');
		expect(site.authors).toEqual([
			{ login: 'camille', displayName: 'Camille Martin', email: 'camille.martin@region.example' },
			{ login: 'jdupont', displayName: 'Jean Dupont', email: 'j.dupont@ancien-blog.example' },
			{ login: 'admin', displayName: 'Équipe du Labo', email: 'webmestre@ancien-blog.example' }
		]);
		expect(site.categories.map((c) => c.name)).toEqual(['Non classé', 'Ateliers']);
		expect(site.tags).toEqual([
			{ slug: 'design-de-service', name: 'Design de service' },
			{ slug: 'usagers', name: 'Usagers' }
		]);
		expect(site.items.map((i) => `${i.type}:${i.id}:${i.state}`)).toEqual([
			'post:101:published',
			'post:102:published',
			'post:103:scheduled',
			'post:104:draft',
			'post:105:skip',
			'page:110:published',
			'attachment:201:draft',
			'attachment:202:draft'
		]);
		expect(site.ignored).toEqual({ nav_menu_item: 1 });

		const first = site.items[0]!;
		expect(first.title).toBe('Semaine 9.1 : lancer l’atelier');
		expect(first.link).toBe('https://carnet.labo-exemple.fr/2021/03/01/semaine-9-1-lancer-latelier/');
		expect(first.creator).toBe('camille');
		expect(first.date).toBe('2021-03-01T08:15:00.000Z');
		expect(first.commentsOpen).toBe(true);
		expect(first.categories).toEqual([
			{ domain: 'category', slug: 'ateliers', name: 'Ateliers' },
			{ domain: 'post_tag', slug: 'usagers', name: 'Usagers' }
		]);
		expect(first.excerpt).toBe('Douze agents, un mur de <em>post-its</em>.');
		expect(first.comments.map((c) => [c.id, c.parent, c.state])).toEqual([
			['501', null, 'approved'],
			['502', '501', 'approved'],
			['507', '502', 'approved'],
			['503', null, 'pending'],
			['504', null, 'spam'],
			['505', null, 'skip'],
			['506', null, 'skip']
		]);
		expect(first.comments[0]!.date).toBe('2021-03-01T11:00:00.000Z');
		expect(first.comments[5]!.approved).toBe('trash');
		expect(first.comments[6]!.type).toBe('pingback');
		expect(first.comments[6]!.content).toBe('[…] lu chez le Labo […]');

		// A percent-encoded slug is decoded; a draft has no GMT date and takes its Paris one.
		expect(site.items[1]!.slug).toBe('semaine-9-2-préparer-la-restitution');
		expect(site.items[1]!.meta._thumbnail_id).toBe('202');
		expect(site.items[2]!.date).toBe('2099-01-15T08:00:00.000Z');
		expect(site.items[3]!.date).toBe('2021-03-20T09:30:00.000Z');
		expect(site.items[3]!.slug).toBe('');
		expect(site.items[5]!.commentsOpen).toBe(false);
		expect(site.items[7]!.attachmentUrl).toMatch(/^data:image\/png;base64,/);
		expect(site.items[7]!.parent).toBe('102');
		expect(site.items[7]!.meta._wp_attachment_image_alt).toBe('Schéma du parcours usager');
	});

	it('reads a WXR 1.1 export the same way', () => {
		const site = parseWxr(fixture('ancien-blog-wxr-1.1.xml'));
		expect(site.version).toBe('1.1');
		expect(site.baseBlogUrl).toBe('http://www.labo-ancien.example/blog');
		expect(site.items.map((i) => `${i.type}:${i.id}:${i.state}`)).toEqual(['post:11:published', 'post:12:published', 'page:20:published']);
		expect(site.items[0]!.comments).toHaveLength(1);
		expect(site.items[0]!.comments[0]!.state).toBe('approved');
		expect(site.items[0]!.date).toBe('2014-10-06T07:00:00.000Z');
	});

	it('locates a truncated file at its end, and nothing else is returned', () => {
		const e = wxrError(fixture('carnet-tronque.xml'));
		expect(e.key).toBe('journal.import.truncated');
		expect(e.line).toBe(197);
		expect(e.column).toBe(1);
		expect(e.message).toContain('content:encoded');
	});

	it('locates an unescaped ampersand at its line and column', () => {
		const e = wxrError(fixture('carnet-malforme.xml'));
		expect(e.key).toBe('journal.import.badAmpersand');
		expect([e.line, e.column]).toEqual([22, 20]);
	});

	it('locates a mismatched closing tag', () => {
		const e = wxrError(wrap('<item>\n<title>A</titel>\n</item>'));
		expect(e.key).toBe('journal.import.xmlError');
		expect(e.line).toBe(8);
		expect(e.column).toBeGreaterThan(1);
		expect(e.params.detail).toMatch(/close tag/);
	});

	it('refuses other versions, files that are not WordPress exports, and items without an id', () => {
		const v = wxrError(wrap('', '1.0'));
		expect(v.key).toBe('journal.import.badVersion');
		expect(v.params).toEqual({ version: '1.0' });
		expect(v.line).toBe(6);
		expect(wxrError('<html><body>Bonjour</body></html>').key).toBe('journal.import.notWxr');
		expect(wxrError('<rss version="2.0"><channel><title>Flux</title></channel></rss>').key).toBe('journal.import.notWxr');
		expect(wxrError('   ').key).toBe('journal.import.empty');
		const noId = wxrError(wrap('<item>\n<title>A</title>\n<wp:post_type>post</wp:post_type>\n</item>'));
		expect(noId.key).toBe('journal.import.noPostId');
		expect(noId.line).toBe(7);
	});

	it('counts other item types and skips trash', () => {
		const site = parseWxr(
			wrap(
				['revision', 'wp_block', 'revision'].map((t, i) => `<item><wp:post_id>${i + 1}</wp:post_id><wp:post_type>${t}</wp:post_type></item>`).join('') +
					'<item><wp:post_id>9</wp:post_id><wp:post_type>post</wp:post_type><wp:status>pending</wp:status></item>' +
					'<item><wp:post_id>10</wp:post_id><wp:post_type>page</wp:post_type><wp:status>private</wp:status></item>' +
					'<item><wp:post_id>11</wp:post_id><wp:post_type>post</wp:post_type><wp:status>trash</wp:status></item>'
			)
		);
		expect(site.ignored).toEqual({ revision: 2, wp_block: 1 });
		expect(site.items.map((i) => i.state)).toEqual(['draft', 'draft', 'skip']);
	});
});

describe('titles and dates', () => {
	it('splits "Semaine 9.2 : …" and "Semaine 9.2 - …" into series, episode and title', () => {
		expect(splitEpisodeTitle('Semaine 9.2 : préparer la restitution')).toEqual({ series: 'Semaine', episode: '9.2', title: 'préparer la restitution' });
		expect(splitEpisodeTitle('Semaine 9.2 - préparer…')).toEqual({ series: 'Semaine', episode: '9.2', title: 'préparer…' });
		expect(splitEpisodeTitle('Semaine\u00a010\u202f: bilan')).toEqual({ series: 'Semaine', episode: '10', title: 'bilan' });
		expect(splitEpisodeTitle('Semaine 3.2 — la suite')).toEqual({ series: 'Semaine', episode: '3.2', title: 'la suite' });
		expect(splitEpisodeTitle('Carnet de bord 4 : le retour')).toEqual({ series: 'Carnet de bord', episode: '4', title: 'le retour' });
		for (const t of ['Carnet de route', 'À propos', '2021 : une année', 'Semaine 9.2', 'semaine 9 : minuscule'])
			expect(splitEpisodeTitle(t)).toEqual({ series: '', episode: '', title: t });
	});

	it('reads GMT dates, falls back to Paris local time (winter and summer), then to pubDate', () => {
		expect(wpDate('2021-03-01 08:15:00', '2021-03-01 09:15:00', '')).toBe('2021-03-01T08:15:00.000Z');
		expect(wpDate('0000-00-00 00:00:00', '2021-01-15 10:00:00', '')).toBe('2021-01-15T09:00:00.000Z');
		expect(wpDate('', '2021-07-15 10:00:00', '')).toBe('2021-07-15T08:00:00.000Z');
		expect(parisToIso('2021-03-28 03:30:00')).toBe('2021-03-28T01:30:00.000Z');
		expect(wpDate('', '', 'Mon, 01 Mar 2021 08:15:00 +0000')).toBe('2021-03-01T08:15:00.000Z');
		expect(wpDate('', 'n/a', '')).toBeNull();
	});
});

describe('htmlToMarkdown', () => {
	const img: ConvertOptions['image'] = (i) => (i.src.startsWith('data:') ? '/l/lab/journal/images/stored' : null);

	it('writes paragraphs, headings, emphasis, links, lists, quotes and code', () => {
		const md = htmlToMarkdown(
			'<h1>Titre</h1><h2>Sous-titre</h2><h6>Petit</h6><p>Un <strong>gras</strong>, un <em>italique</em>, un <del>barré</del> et <code>du code</code>.</p>' +
				'<p>Un <a href="https://exemple.fr/a b">lien</a> et <a href="javascript:alert(1)">un piège</a>.</p>' +
				'<ul><li>un</li><li>deux<ul><li>deux et demi</li></ul></li></ul><ol start="3"><li>trois</li><li>quatre</li></ol>' +
				'<blockquote><p>Une citation</p><p>sur deux paragraphes</p></blockquote><pre><code>const a = 1;\n  retrait</code></pre><hr>'
		);
		expect(md).toBe(
			[
				'## Titre',
				'## Sous-titre',
				'#### Petit',
				'Un **gras**, un *italique*, un ~~barré~~ et `du code`.',
				'Un [lien](https://exemple.fr/a%20b) et un piège.',
				'- un\n- deux\n  - deux et demi',
				'3. trois\n4. quatre',
				'> Une citation\n>\n> sur deux paragraphes',
				'```\nconst a = 1;\n  retrait\n```',
				'---'
			].join('\n\n')
		);
	});

	it('turns classic-editor text into paragraphs and line breaks', () => {
		expect(htmlToMarkdown('Premier paragraphe\navec un retour.\n\nSecond <b>paragraphe</b>.')).toBe(
			'Premier paragraphe\\\navec un retour.\n\nSecond **paragraphe**.'
		);
		expect(autop('Texte\n<ul>\n<li>a</li>\n</ul>')).toBe('<p>Texte\n<ul>\n<li>a</li>\n</ul></p>');
	});

	it('escapes what markdown would read as markup, but not URLs', () => {
		expect(htmlToMarkdown('<p>1. pas une liste *ni* _ceci_ [ni cela] https://exemple.fr/a_b_c</p><script>alert(1)</script>')).toBe(
			'1\\. pas une liste \\*ni\\* \\_ceci\\_ \\[ni cela\\] https://exemple.fr/a_b_c'
		);
		expect(htmlToMarkdown('<p># pas un titre</p><p>&lt;b&gt; reste du texte</p>')).toBe('\\# pas un titre\n\n\\<b\\> reste du texte');
	});

	it('removes Gutenberg block comments', () => {
		const md = htmlToMarkdown(
			'<!-- wp:paragraph -->\n<p>Un.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:separator -->\n<hr class="wp-block-separator"/>\n<!-- /wp:separator -->'
		);
		expect(md).toBe('Un.\n\n---');
	});

	it('stores data: images, links http images ("Image : alt") and never loads them', () => {
		const md = htmlToMarkdown(
			'<p><img src="data:image/png;base64,AAAA" alt="Schéma"> <img src="https://ailleurs.example/photo.jpg" alt="Photo [1]"> <img src="https://ailleurs.example/sans-alt.png"></p>',
			{ image: img }
		);
		expect(md).toBe(
			'![Schéma](/l/lab/journal/images/stored) [Image : Photo \\[1\\]](https://ailleurs.example/photo.jpg) [Image : sans-alt.png](https://ailleurs.example/sans-alt.png)'
		);
		expect(htmlToMarkdown('<p><img src="data:image/png;base64,AAAA" alt="Schéma"></p>')).toBe('(Image : Schéma)');
		expect(htmlToMarkdown('<p><img src="/wp-content/uploads/a.jpg" alt="Relative"></p>', { base: 'https://blog.example/' })).toBe(
			'[Image : Relative](https://blog.example/wp-content/uploads/a.jpg)'
		);
	});

	it('expands [caption] into the image then its caption in italics', () => {
		const html =
			'[caption id="attachment_5" width="300"]<a href="https://b.example/big.jpg"><img class="wp-image-5" src="https://b.example/a.jpg" alt="Atelier" /></a> Les participants[/caption]';
		expect(expandShortcodes(html)).toContain('<figcaption>Les participants</figcaption>');
		expect(htmlToMarkdown(html)).toBe('[Image : Atelier](https://b.example/a.jpg)\n\n*Les participants*');
		expect(htmlToMarkdown('[caption caption="Ancienne légende"]<img src="https://b.example/a.jpg" alt="A" />[/caption]')).toBe(
			'[Image : A](https://b.example/a.jpg)\n\n*Ancienne légende*'
		);
	});

	it('makes embeds links, [embed] or a URL alone on its line', () => {
		expect(htmlToMarkdown('Voir :\n\nhttps://www.youtube.com/watch?v=abc\n\n[embed]https://vimeo.com/1[/embed]')).toBe(
			'Voir :\n\n[https://www.youtube.com/watch?v=abc](https://www.youtube.com/watch?v=abc)\n\n[https://vimeo.com/1](https://vimeo.com/1)'
		);
		expect(htmlToMarkdown('<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\nhttps://youtu.be/x\n</div></figure>')).toBe(
			'[https://youtu.be/x](https://youtu.be/x)'
		);
		expect(htmlToMarkdown('<iframe src="https://www.youtube.com/embed/x"></iframe>')).toBe(
			'[https://www.youtube.com/embed/x](https://www.youtube.com/embed/x)'
		);
	});

	it('lists a [gallery]’s images, and drops other shortcodes keeping their text', () => {
		const gallery: ConvertOptions['gallery'] = (ids) =>
			(ids.length ? ids : ['9']).map((id) => ({
				src: id === '7' ? 'data:image/png;base64,AAAA' : `https://b.example/${id}.jpg`,
				alt: `Photo ${id}`,
				attachmentId: id
			}));
		expect(htmlToMarkdown('<p>Avant</p>\n[gallery ids="7, 8" columns="2"]\n<p>Après</p>', { gallery, image: img })).toBe(
			'Avant\n\n- ![Photo 7](/l/lab/journal/images/stored)\n- [Image : Photo 8](https://b.example/8.jpg)\n\nAprès'
		);
		expect(htmlToMarkdown('[gallery]', { gallery })).toBe('- [Image : Photo 9](https://b.example/9.jpg)');
		expect(htmlToMarkdown('[gallery ids="1"]')).toBe('');
		expect(
			htmlToMarkdown('<p>[note type="info"]Rendez-vous [b]demain[/b].[/note] [contact-form-7 id="12" title="Contact"][spacer /] [sic] [[gallery]]</p>')
		).toBe('Rendez-vous demain. \\[sic\\] \\[gallery\\]');
	});

	it('rewrites links through the given function and reads relative ones against the old blog', () => {
		const md = htmlToMarkdown('<p><a href="/2021/01/ancien/">relatif</a> <a href="https://blog.example/a-propos/">absolu</a> <a href="#haut">ancre</a></p>', {
			base: 'https://blog.example/',
			link: (h) => (h.startsWith('https://blog.example/') ? '/l/lab/journal/' + h.split('/').filter(Boolean).pop() : h)
		});
		expect(md).toBe('[relatif](/l/lab/journal/ancien) [absolu](/l/lab/journal/a-propos) ancre');
	});

	it('writes simple tables', () => {
		expect(htmlToMarkdown('<table><thead><tr><th>Qui</th><th>Quoi</th></tr></thead><tbody><tr><td>Léa</td><td>a | b</td></tr></tbody></table>')).toBe(
			'| Qui | Quoi |\n| --- | --- |\n| Léa | a \\| b |'
		);
	});

	it('converts the fixture’s classic and block-editor posts', () => {
		const site = parseWxr(fixture('carnet-wxr-1.2.xml'));
		const classic = htmlToMarkdown(site.items[0]!.content);
		expect(classic).toContain('ont ouvert la **semaine 9** avec nous.');
		expect(classic).toContain('- les formulaires en double ;\n- les délais de réponse.');
		expect(classic).toContain(
			'[Image : Mur de post-its](https://carnet.labo-exemple.fr/wp-content/uploads/2021/03/atelier-post-its-1024x768.jpg)\n\n*Le mur des irritants, en fin de matinée*'
		);
		expect(classic).toContain('[https://www.youtube.com/watch?v=dQw4w9WgXcQ](https://www.youtube.com/watch?v=dQw4w9WgXcQ)');
		const blocks = htmlToMarkdown(site.items[1]!.content, { image: img });
		expect(blocks).not.toContain('wp:');
		expect(blocks).toContain('## Ce que nous montrerons');
		expect(blocks).toContain('![Carte du parcours](/l/lab/journal/images/stored)\n\n*La carte du parcours, version 2*');
		expect(blocks).toContain('1. Les irritants\n2. Les pistes *retenues*');
		expect(blocks).toContain('> On ne remplit plus deux fois la même chose.');
		expect(blocks).toContain('[https://vimeo.com/76979871](https://vimeo.com/76979871)');
		expect(blocks).toMatch(/Rendez-vous le 12 mars\.$/);
		expect(htmlToText(site.items[0]!.excerpt)).toBe('Douze agents, un mur de post-its.');
	});
});

describe('addresses, e-mails and images', () => {
	it('normalises old addresses and lists an item’s ones', () => {
		expect(normalizeOldPath('https://b.example/2021/03/semaine-9-2-pr%c3%a9parer/?utm_source=x')).toBe('/2021/03/semaine-9-2-préparer');
		expect(normalizeOldPath('/?p=12&foo=bar')).toBe('/?p=12');
		expect(normalizeOldPath('/blog/?page_id=7')).toBe('/blog?page_id=7');
		expect(normalizeOldPath('/')).toBe('/');
		const site = parseWxr(fixture('ancien-blog-wxr-1.1.xml')) as WxrSite;
		expect(oldAddresses(site, site.items[2]!)).toEqual(['/blog/contact', '/blog?p=20', '/blog?page_id=20']);
		const draft = parseWxr(fixture('carnet-wxr-1.2.xml')).items[3]!;
		expect(oldAddresses(parseWxr(fixture('carnet-wxr-1.2.xml')), draft)).toEqual(['/?p=104']);
	});

	it('keeps no commenter e-mail or IP address in the kept copy of an export, only the keyed hash', () => {
		const kept = stripCommenterEmails(fixture('carnet-wxr-1.2.xml'));
		expect(kept).not.toContain('lea.commentatrice@exemple.test');
		expect(kept).not.toContain('192.0.2.10');
		expect(parseWxr(kept).items[0]!.comments[0]!.authorEmail).toMatch(/^hash:[0-9a-f]{64}$/);
		// Applied twice (a job kept then read again), nothing changes.
		expect(stripCommenterEmails(kept)).toBe(kept);
	});

	it('decodes data: URIs and converts images to WebP, 1600 px wide at most', async () => {
		expect(decodeDataUri('data:image/png;base64,iVBO Rw==')?.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
		expect(decodeDataUri('data:text/plain,caf%C3%A9')?.toString('utf8')).toBe('café');
		expect(decodeDataUri('https://x')).toBeNull();
		const big = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: '#336699' } })
			.png()
			.toBuffer();
		const img = await prepareJournalImage(big, 'grande-photo.png');
		expect(img.name).toBe('grande-photo.webp');
		expect(img.bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
		const meta = await sharp(img.bytes).metadata();
		expect([meta.width, meta.height, meta.format]).toEqual([1600, 800, 'webp']);
		const small = await prepareJournalImage(
			await sharp({ create: { width: 40, height: 30, channels: 3, background: '#fff' } })
				.jpeg()
				.toBuffer(),
			'petite.jpg'
		);
		expect((await sharp(small.bytes).metadata()).width).toBe(40);
		await expect(prepareJournalImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.svg')).rejects.toMatchObject({
			code: 'journal.import.badImage'
		});
	});
});

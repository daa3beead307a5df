import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, PageBreak, Paragraph, TextRun } from 'docx';
import type { SpecDetail } from './specs.service';

/** The specification as one Markdown document, numbered sections. */
export function specToMarkdown(s: SpecDetail, labName: string): string {
	const head = [`# ${s.title}`, '', `*${labName}*${s.experimentTitle ? ` — ${s.experimentTitle}` : ''}`, ''];
	const body = s.sections.flatMap((sec, i) => [`## ${i + 1}. ${sec.title}`, '', sec.body.trim(), '']);
	return [...head, ...body].join('\n').replace(/\n{3,}/g, '\n\n');
}

/** Markdown-ish text → Word paragraphs: "- " and "* " lines become bullets, the rest paragraphs. */
function paragraphs(text: string): Paragraph[] {
	return text.split(/\n{2,}/).flatMap((block) => {
		const lines = block.split('\n');
		if (lines.every((l) => /^\s*[-*] /.test(l))) return lines.map((l) => new Paragraph({ children: runs(l.replace(/^\s*[-*] /, '')), bullet: { level: 0 } }));
		return [new Paragraph({ children: runs(lines.join(' ')), spacing: { after: 120 } })];
	});
}

/** **bold** and *italic* inside a line. */
function runs(line: string): TextRun[] {
	return line
		.split(/(\*\*[^*]+\*\*|\*[^*]+\*)/)
		.filter(Boolean)
		.map((part) =>
			part.startsWith('**')
				? new TextRun({ text: part.slice(2, -2), bold: true })
				: part.startsWith('*') && part.length > 2
					? new TextRun({ text: part.slice(1, -1), italics: true })
					: new TextRun(part)
		);
}

/** A Word document: a title page, then numbered sections. */
export async function specToDocx(s: SpecDetail, labName: string): Promise<Buffer> {
	const doc = new Document({
		creator: labName,
		title: s.title,
		numbering: { config: [{ reference: 'sections', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }] },
		sections: [
			{
				children: [
					new Paragraph({ text: '', spacing: { before: 3000 } }),
					new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: s.title })] }),
					new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: 'Cahier des charges', italics: true })] }),
					new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 600 }, children: [new TextRun(labName)] }),
					...(s.experimentTitle ? [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun(s.experimentTitle)] })] : []),
					new Paragraph({ children: [new PageBreak()] }),
					...s.sections.flatMap((sec) => [
						new Paragraph({ heading: HeadingLevel.HEADING_1, numbering: { reference: 'sections', level: 0 }, children: [new TextRun(sec.title)] }),
						...paragraphs(sec.body)
					])
				]
			}
		]
	});
	return Packer.toBuffer(doc);
}

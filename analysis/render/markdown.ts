import MarkdownIt from 'markdown-it';

/**
 * Markdown for text from content files and studies. Raw HTML is off (`html: false`), so
 * a `<script>` or any other tag in a bullet renders as visible text, never as markup.
 */
export const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** Renders one bullet or sentence as inline HTML (no enclosing paragraph). */
export function renderInline(text: string): string {
  return markdown.renderInline(text);
}

/** Renders a block of Markdown as HTML. */
export function renderBlock(text: string): string {
  return markdown.render(text);
}

/** A stretch of inline text with one style, for renderers that draw text themselves. */
export interface TextRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  link?: string;
}

/**
 * Splits inline Markdown into styled runs: emphasis, strong, code spans and links. Other
 * inline syntax, raw HTML included, comes through as its literal text.
 */
export function inlineRuns(text: string): TextRun[] {
  const tokens = markdown.parseInline(text, {})[0]?.children ?? [];
  const runs: TextRun[] = [];
  let bold = 0;
  let italic = 0;
  let link: string | undefined;
  const push = (content: string, code = false) => {
    if (content === '') return;
    runs.push({ text: content, bold: bold > 0, italic: italic > 0, code, link });
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'strong_open': bold += 1; break;
      case 'strong_close': bold -= 1; break;
      case 'em_open': italic += 1; break;
      case 'em_close': italic -= 1; break;
      case 'link_open': link = String(token.attrGet('href') ?? '') || undefined; break;
      case 'link_close': link = undefined; break;
      case 'code_inline': push(token.content, true); break;
      case 'softbreak': case 'hardbreak': push(' '); break;
      case 'image': push(token.content); break;
      default: push(token.content);
    }
  }
  return runs;
}

/** Returns the plain text of inline Markdown, for measuring and for alt texts. */
export function plainText(text: string): string {
  return inlineRuns(text).map((run) => run.text).join('');
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCell, numericColumns } from '../../analysis/render/format.ts';
import { inlineRuns, renderInline } from '../../analysis/render/markdown.ts';
import { breakableHtml, scriptJson } from '../../analysis/render/site-view.ts';

test('formatCell formats numbers', () => {
  assert.equal(formatCell(null), '–');
  assert.equal(formatCell('p_T'), 'p_T');
  assert.equal(formatCell(42), '42');
  assert.equal(formatCell(0.744637), '0.7446');
  assert.equal(formatCell(1398.24), '1398.2');
  assert.equal(formatCell(-0.0129), '−0.0129');
  assert.equal(formatCell({ value: 0.5, digits: 3 }), '0.500');
  assert.equal(formatCell({ value: 192.3077, digits: 2, error: 1.5 }), '192.31 ± 1.50');
});

test('numericColumns skips label columns', () => {
  const columns = numericColumns({ kind: 'table', id: 't', header: [['a', 'b', 'c']],
    rows: [['x', 1, 'text'], ['y', { value: 2 }, 'more']] });
  assert.deepEqual(columns, [false, true, false]);
});

test('inlineRuns splits styles', () => {
  assert.deepEqual(inlineRuns('a **b** *c* `d` [e](f.json)'), [
    { text: 'a ', bold: false, italic: false, code: false, link: undefined },
    { text: 'b', bold: true, italic: false, code: false, link: undefined },
    { text: ' ', bold: false, italic: false, code: false, link: undefined },
    { text: 'c', bold: false, italic: true, code: false, link: undefined },
    { text: ' ', bold: false, italic: false, code: false, link: undefined },
    { text: 'd', bold: false, italic: false, code: true, link: undefined },
    { text: ' ', bold: false, italic: false, code: false, link: undefined },
    { text: 'e', bold: false, italic: false, code: false, link: 'f.json' },
  ]);
});

test('raw HTML stays text', () => {
  assert.equal(renderInline('<script>x()</script>'), '&lt;script&gt;x()&lt;/script&gt;');
  assert.equal(inlineRuns('<b>x</b>').map((run) => run.text).join(''), '<b>x</b>');
});

test('scriptJson cannot close its script', () => {
  const json = scriptJson({ title: '</script><script>alert(1)</script>' });
  assert.ok(!json.includes('<'));
  assert.deepEqual(JSON.parse(json), { title: '</script><script>alert(1)</script>' });
});

test('breakableHtml keeps indent and ±', () => {
  assert.equal(breakableHtml('  of which HT', true),
    '<span class="indent">  </span><span class="nobr">of</span> <span class="nobr">which</span> '
    + '<span class="nobr">HT</span>');
  assert.equal(breakableHtml('jet_1_pt 7.3 ± 0.7', false),
    '<span class="nobr">jet_1_pt</span> <span class="nobr">7.3 ± 0.7</span>');
  assert.equal(breakableHtml('m_lv', true),
    '<span class="nobr">m_</span><wbr><span class="nobr">lv</span>');
  assert.equal(breakableHtml('a<b', false), '<span class="nobr">a&lt;b</span>');
});

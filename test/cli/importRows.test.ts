import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatOfFile, parseImportText } from '../../src/cli/import/importRows.ts';
import { contentStem, fileHoldsStem } from '../../src/cli/import/rowImporter.ts';
import { errorsCsv } from '../../src/cli/import/errorsFile.ts';
import { productNamesOf } from '../../src/cli/import/runImport.ts';

const csv = suite('CSV rows are checked one by one');

csv('a good row gives its fields, types mapped to ShipStream roles (base is image)', () => {
  const [result] = parseImportText('sku,name,image,order,types,label,exclude\nA-1,Lamp,https://erp.example.com/a.jpg,3,base|thumbnail,Front,yes\n', 'csv');
  assert.equal(result, {
    ok: true,
    row: { line: 2, sku: 'A-1', name: 'Lamp', image: 'https://erp.example.com/a.jpg', order: 3, types: ['image', 'thumbnail'], label: 'Front', exclude: true },
    raw: { sku: 'A-1', name: 'Lamp', image: 'https://erp.example.com/a.jpg', order: '3', types: 'base|thumbnail', label: 'Front', exclude: 'yes' },
  });
});

csv('each malformed row has its own reason and does not hide the rows after it', () => {
  const text = [
    'sku,image,order,types,exclude',
    ',a.jpg,,,',
    'B,ftp://x/a.jpg,,,',
    'C,http://,,,',
    'D,a.jpg,two,,',
    'E,a.jpg,,cover,',
    'F,a.jpg,,,maybe',
    'G,a.jpg,1,small_image,0',
  ].join('\n');
  const results = parseImportText(text, 'csv');
  assert.equal(
    results.map((result) => (result.ok ? `ok ${result.row.line}` : `${result.problem.line}: ${result.problem.reason}`)),
    [
      '2: sku: This field is required.',
      '3: image: Only http(s) URLs and file paths are accepted, not "ftp://x/a.jpg".',
      '4: image: "http://" is not a valid URL.',
      '5: order: A valid non-negative integer is required.',
      '6: types: "cover" is not one of base, image, thumbnail, small_image.',
      '7: exclude: Must be true/false, 1/0 or yes/no.',
      'ok 8',
    ],
  );
});

csv.run();

const jsonl = suite('JSONL rows are checked one by one');

jsonl('wrong JSON types and unparsable lines are reported with their line numbers', () => {
  const text = ['{"sku": "A", "image": "a.jpg", "types": ["image"], "order": 2, "exclude": false}', '{not json', '', '["sku"]', '{"sku": {"x": 1}, "image": "a.jpg"}', '{"sku": "B", "image": 7}', '{"sku": "C", "image": "c.png", "order": -1}'].join('\n');
  const results = parseImportText(text, 'jsonl');
  assert.equal(
    results.map((result) => (result.ok ? `ok ${result.row.line} ${JSON.stringify(result.row.types)}` : `${result.problem.line}: ${result.problem.reason}`)),
    [
      'ok 1 ["image"]',
      '2: Not a JSON object: the line does not parse as JSON.',
      '4: Not a JSON object.',
      '5: sku: Must be a string.',
      '6: image: Must be a URL or a file path.',
      '7: order: A valid non-negative integer is required.',
    ],
  );
});

jsonl('the format follows the file name', () => {
  assert.equal([formatOfFile('a.jsonl'), formatOfFile('b.NDJSON'), formatOfFile('c.csv'), formatOfFile('d.txt')], ['jsonl', 'jsonl', 'csv', 'csv']);
});

jsonl.run();

const identity = suite('An image is known by the hash of its content');

identity('the stem is the first 40 hex digits and matches dispersed and suffixed file names', () => {
  const sha = 'ab'.repeat(32);
  assert.is(contentStem(sha), 'ab'.repeat(20));
  assert.ok(fileHoldsStem(`/a/b/${'ab'.repeat(20)}.jpg`, contentStem(sha)));
  assert.ok(fileHoldsStem(`/a/b/${'ab'.repeat(20)}_1.jpg`, contentStem(sha)));
  assert.not.ok(fileHoldsStem('/a/b/abab.jpg', contentStem(sha)));
});

identity('the errors file repeats the row and adds line and reason, quoted as CSV', () => {
  const text = errorsCsv([
    { line: 4, raw: { sku: 'B', image: 'b, "big".jpg' }, reason: 'image: cannot be read (ENOENT).' },
    { line: 2, raw: { text: '{not json' }, reason: 'Not a JSON object.' },
  ]);
  assert.is(text, 'sku,name,image,order,types,label,exclude,line,error\n,,,,,,,2,Not a JSON object.\nB,,"b, ""big"".jpg",,,,,4,image: cannot be read (ENOENT).\n');
});

identity.run();

const names = suite('A product created by the import takes the first name its rows give');

names('the first non-empty name in file order wins, whichever row runs first', () => {
  const parsed = parseImportText('sku,name,image\nA-1,,a.jpg\nA-1,Lamp,b.jpg\nA-1,Other,c.jpg\nB-2,,d.jpg\n', 'csv');
  const rows = parsed.flatMap((entry) => (entry.ok ? [entry.row] : []));
  assert.equal([...productNamesOf(rows)], [['A-1', 'Lamp']]);
});

names.run();

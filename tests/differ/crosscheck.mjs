// Prints the changes api-smart-diff finds between two OpenAPI documents (JSON files), one
// JSON array of {type, action, path, before, after}; `before` and `after` only when they are
// plain values (a property name in a `required` list, say).
import fs from 'node:fs';
import { apiDiff } from 'api-smart-diff';

const [beforeFile, afterFile] = process.argv.slice(2);
const read = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const plain = (value) => (value === null || typeof value !== 'object' ? value : undefined);
const diffs = apiDiff(read(beforeFile), read(afterFile)).map((d) => ({
  type: d.type,
  action: d.action,
  path: d.path,
  before: plain(d.before),
  after: plain(d.after),
}));
process.stdout.write(JSON.stringify(diffs));

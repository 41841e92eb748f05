// Renders a surge report again from its JSON twin (report.md and the charts), for when the
// report's layout changes; the measured figures and series are read, never recomputed.
//
//   node loadtest/src/surge/render.ts loadtest/reports/<date>
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ReportTwin, writeReportFiles } from './report.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node loadtest/src/surge/render.ts <report folder>');
const twin = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as ReportTwin;
for (const file of await writeReportFiles(dir, twin)) process.stdout.write(`${file}\n`);

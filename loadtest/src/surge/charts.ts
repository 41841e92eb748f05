// Charts over time as PNG without a charting dependency: each chart is an SVG built here
// (protected and contrast runs on the same axes), screenshot by Chromium through playwright-core.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { RunSeries } from './series.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-sync',
];

const width = 720;
const height = 300;
const margin = { left: 64, right: 16, top: 36, bottom: 40 };
const colours: Record<string, string> = { protected: '#1f6fb4', contrast: '#d9480f' };

export interface ChartSpec {
  file: string;
  title: string;
  unit: string;
  pick: (series: RunSeries) => Array<number | null>;
  /** A horizontal reference line (the commit target). */
  reference?: { value: number; label: string };
  /** Logarithmic y axis, for runs an order of magnitude apart. */
  log?: boolean;
}

export function chartSpecs(targetMs: number): ChartSpec[] {
  return [
    {
      file: 'queue-length.png',
      title: 'Queue length (waiting behind the pointer)',
      unit: 'visitors',
      pick: (s) => s.queue_length,
    },
    {
      file: 'admissions-per-second.png',
      title: 'Admissions per second (contrast: arrivals, all let in)',
      unit: 'per s',
      pick: (s) => s.admissions_per_s,
    },
    {
      file: 'commit-p95.png',
      title: 'Booking commit p95 (booking API health window)',
      unit: 'ms',
      pick: (s) => s.commit_p95_ms,
      reference: { value: targetMs, label: `target ${targetMs} ms` },
      log: true,
    },
    {
      file: 'bookings-per-second.png',
      title: 'Berths sold per second',
      unit: 'per s',
      pick: (s) => s.bookings_per_s,
    },
    {
      file: 'active-sessions.png',
      title: 'Active sessions (contrast: visitors booking at once)',
      unit: 'sessions',
      pick: (s) => s.active_sessions,
    },
    {
      file: 'other-cpu.png',
      title: 'Cores busy with work outside this run (shared machine)',
      unit: 'cores',
      pick: (s) => s.other_cores,
    },
    {
      file: 'errors-per-second.png',
      title: '5xx answers and timeouts per second',
      unit: 'per s',
      pick: (s) => s.errors_5xx_per_s.map((e, i) => e + (s.timeouts_per_s[i] ?? 0)),
    },
  ];
}

const xmlText = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * power >= value) ?? 10;
  return step * power;
}

/** One chart as SVG: a line per run, gaps where a value is unknown. */
export function chartSvg(spec: ChartSpec, runs: Record<string, RunSeries>): string {
  const lines = Object.entries(runs).map(([name, series]) => ({
    name,
    t: series.t,
    values: spec.pick(series),
  }));
  const tMax = Math.max(1, ...lines.flatMap((line) => line.t));
  const known = lines.flatMap((line) => line.values.filter((v): v is number => v !== null));
  const top = Math.max(spec.reference?.value ?? 0, ...known);
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const x = (t: number) => margin.left + (t / tMax) * plotW;
  // Log axis: whole decades from 1 to the first power of ten above the data.
  const decades = Math.max(1, Math.ceil(Math.log10(Math.max(10, top))));
  const yMax = spec.log ? 10 ** decades : niceMax(top * 1.05);
  const y = (v: number) =>
    spec.log
      ? margin.top + plotH - (Math.log10(Math.max(1, v)) / decades) * plotH
      : margin.top + plotH - (v / yMax) * plotH;
  const ticks = spec.log
    ? Array.from({ length: decades + 1 }, (_, i) => 10 ** i)
    : Array.from({ length: 5 }, (_, i) => (yMax / 4) * i);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${margin.left}" y="20" font-size="13" font-weight="bold">${xmlText(spec.title)}</text>`,
  ];
  for (const value of ticks) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`,
      `<text x="${margin.left - 6}" y="${y(value) + 4}" text-anchor="end">${Number(value.toPrecision(3)).toLocaleString('en')}</text>`,
    );
  }
  const tStep = niceMax(tMax / 8);
  for (let t = 0; t <= tMax; t += tStep) {
    parts.push(
      `<text x="${x(t)}" y="${height - margin.bottom + 16}" text-anchor="middle">${t}</text>`,
    );
  }
  parts.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 6}" text-anchor="middle">seconds since the opening</text>`,
    `<text transform="translate(14 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${xmlText(spec.log ? `${spec.unit} (log scale)` : spec.unit)}</text>`,
  );
  if (spec.reference) {
    const ry = y(spec.reference.value);
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${ry}" y2="${ry}" stroke="#2b8a3e" stroke-dasharray="6 4"/>`,
      `<text x="${width - margin.right - 4}" y="${ry - 4}" text-anchor="end" fill="#2b8a3e">${xmlText(spec.reference.label)}</text>`,
    );
  }
  lines.forEach((line, index) => {
    let path = '';
    let pen = false;
    line.values.forEach((value, i) => {
      if (value === null) {
        pen = false;
        return;
      }
      path += `${pen ? 'L' : 'M'}${x(line.t[i] ?? i).toFixed(1)} ${y(value).toFixed(1)} `;
      pen = true;
    });
    const colour = colours[line.name] ?? '#555';
    if (path) parts.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="1.6"/>`);
    const lx = width - margin.right - 150;
    parts.push(
      `<rect x="${lx}" y="${8 + index * 14}" width="10" height="3" fill="${colour}"/>`,
      `<text x="${lx + 14}" y="${13 + index * 14}">${xmlText(line.name)}</text>`,
    );
  });
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    '</svg>',
  );
  return parts.join('\n');
}

/** Writes every chart as a PNG into `dir`; returns the file names. */
export async function renderCharts(
  dir: string,
  runs: Record<string, RunSeries>,
  targetMs: number,
): Promise<string[]> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `no Chromium at ${chromiumPath} to render the charts: apt-get install chromium, or set CHROMIUM_PATH`,
    );
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
    timeout: 30_000,
  });
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    const files: string[] = [];
    for (const spec of chartSpecs(targetMs)) {
      await page.setContent(`<html><body style="margin:0">${chartSvg(spec, runs)}</body></html>`);
      await page.locator('svg').screenshot({ path: join(dir, spec.file), type: 'png' });
      files.push(spec.file);
    }
    return files;
  } finally {
    await browser.close();
  }
}

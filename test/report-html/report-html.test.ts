import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRunParams, runParamsSchema } from '../../src/config/params.js';
import { htmlReportWriter } from '../../src/report/html/report-writer.js';
import { REPORT_HTML_FILE, writeReportHtml } from '../../src/report/html/write-report-html.js';
import type { ReportContext } from '../../src/report/writers.js';
import { parseMonth } from '../../src/util/month.js';
import { POISON_COUNT, POISON_VALUE, writePublishedFixture } from './published-fixture.js';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

/** The text a reader sees: tags, attributes and SVG path data removed, entities of the escapes decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replaceAll('&amp;', '&')
    .replaceAll('&#39;', "'");
}

function charts(html: string): string[] {
  return [...html.matchAll(/<svg [^>]*data-chart="([^"]+)"/g)].map((match) => match[1]);
}

async function build(options: Parameters<typeof writePublishedFixture>[0] = {}, params = defaultRunParams()): Promise<string> {
  const dir = await writePublishedFixture(options);
  const file = await writeReportHtml(dir, { month: '2024-05', params, carbon: { kind: 'consumption', sources: ['ODRE'] } });
  expect(file).toBe(path.join(dir, REPORT_HTML_FILE));
  return fs.readFileSync(file, 'utf8');
}

describe('report.html built from the published tables', () => {
  it('shows the national headline figures, formatted fr-FR, with values known by construction', async () => {
    const text = visibleText(await build());
    expect(text).toContain('mai 2024');
    expect(text).toContain(`4${NNBSP}321`); // sessions
    expect(text).toContain('123,5'); // 123 456,789 kWh → 123,5 MWh
    expect(text).toContain('MWh');
    expect(text).toContain('31,3'); // carbon 31.25 g/kWh, one decimal
    expect(text).toContain(`moyenne du réseau sur le mois (40,0${NBSP}gCO₂e/kWh)`); // grid average
    // « En bref »: each sign said in words.
    expect(text.replace(/[ \t\n\r]+/g, ' ')).toContain(`En bref. La recharge a eu lieu à des heures moins carbonées que la moyenne du mois : 31,3${NBSP}gCO₂e/kWh, soit 21,9${NBSP}% de moins que le réseau.`);
    expect(text).toContain(`Le pilotage de la recharge a abaissé la puissance moyenne en pointe de 50,0${NBSP}kW`);
    // How to read the columns whose sign is not obvious.
    expect(text).toContain('Négatif : la recharge a eu lieu à des heures plus carbonées que la moyenne.');
    expect(text).toContain('Négative : la recharge observée a davantage chargé la pointe');
    expect(text).toContain(`21,9${NBSP}% de moins`); // 100 × (1 − 31.25 / 40) = 21.875
    expect(text).toContain('12,5'); // peak share
    expect(text).toContain(`250,0${NBSP}kW au lieu de 300,0${NBSP}kW`);
    expect(text).toContain(`de 18${NBSP}h à 20${NBSP}h, du lundi au vendredi`);
    // Flat load: 4 peak half-hours x 21 weekdays over 48 x (21 + 10) half-hours = 5,645 %.
    expect(text).toContain(`une recharge uniforme sur le mois y mettrait 5,6${NBSP}%`);
  });

  it('draws five charts as inline SVG, each with marks, and needs nothing from the network', async () => {
    const html = await build();
    expect(charts(html)).toEqual(['profil-semaine', 'profil-week-end', 'regions-carbone', 'regions-pointe', 'regions-energie']);
    for (const svg of html.split('<svg ').slice(1)) expect(svg).toMatch(/class="mark-(line|rect|rule)[^"]*role-mark/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(\s*['"]?https?:/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    // SVG ids are unique in the page (several inline SVGs share one id space).
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('prints « secret statistique » for suppressed regions and never their values, even if a file carried them', async () => {
    for (const poisonSuppressed of [false, true]) {
      const html = await build({ poisonSuppressed });
      const text = visibleText(html);
      expect(text).toMatch(/Centre-Val de Loire\s+secret statistique/);
      expect(text).toMatch(/Bretagne\s+secret statistique/);
      expect(text).not.toMatch(/987[\s\u202f.,]?654/);
      expect(text).not.toMatch(new RegExp(`${String(POISON_COUNT).slice(0, 1)}[\\s\\u202f.,]?${String(POISON_COUNT).slice(1)}`));
      expect(html).not.toContain(String(POISON_VALUE));
      // Suppressed regions appear in the region charts as labelled lines without bars.
      expect(html.match(/>secret statistique</g)?.length ?? 0).toBeGreaterThanOrEqual(2 * 4);
    }
  });

  it('replaces every national figure and the profile charts when the national cell is suppressed', async () => {
    const html = await build({ nationalSuppressed: true, poisonSuppressed: true });
    const text = visibleText(html).replace(/[ \t\n\r]+/g, ' ');
    // Every card is secret, and the month's session counts by route (the national count, summed) are withheld.
    expect(text.match(/Sessions de recharge secret statistique/g)).toHaveLength(1);
    expect(text).toContain('Effectifs non publiés');
    expect(html).not.toContain('<th scope="col">Acceptées</th>');
    expect(text).not.toContain('123,5');
    expect(text).not.toContain('31,3');
    expect(charts(html)).toEqual(['regions-carbone', 'regions-pointe', 'regions-energie']);
    expect(text).toContain('trop peu de contributeurs au niveau national');
    expect(text).toContain('En bref. Les chiffres nationaux ne sont pas publiés ce mois-ci');
    // The national quality values say why they are missing, not a bare « non disponible ».
    expect(text).toContain('sans intensité carbone connue : non publié (valeur nationale en secret statistique)');
  });

  it('says how much of the month the carbon series covers, on the card and in the quality section', async () => {
    const text = visibleText(await build({ carbonSlotsInMonth: 96 })).replace(/[ \t\n\r]+/g, ' ');
    // May 2024 has 1 488 half-hours; 96 of them have an intensity (6,5 %).
    expect(text).toContain(`Demi-heures du mois dont l’intensité carbone est connue : 96 sur 1${NNBSP}488 (6,5${NBSP}%) : la moyenne du réseau`);
    expect(text).toContain(`intensité connue pour 6,5${NBSP}% des demi-heures du mois seulement`);
    // The fixture has no consumption-ranked value: the quality section says why.
    expect(text).toContain('Puissance aux demi-heures les plus chargées du réseau : non calculée');
    const complete = visibleText(await build({ carbonSlotsInMonth: 1488 })).replace(/[ \t\n\r]+/g, ' ');
    expect(complete).toContain(`1${NNBSP}488 sur 1${NNBSP}488 (100,0${NBSP}%).`);
    expect(complete).not.toContain('seulement');
  });

  it('lists the territories in French alphabetical order, accents ignored', async () => {
    const html = await build({ withNormandie: true });
    const table = html.slice(html.indexOf('<section id="indicateurs">'));
    const order = ['Auvergne-Rhône-Alpes', 'Bretagne', 'Centre-Val de Loire', 'Île-de-France', 'Normandie'].map((name) => table.indexOf(`>${name}<`));
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('says in words when the observed peak is above the uncontrolled estimate', async () => {
    const text = visibleText(await build({ smartPeakReductionKw: -12.5 })).replace(/[ \t\n\r]+/g, ' ');
    expect(text).toContain(`Pointe supplémentaire par rapport à une recharge sans pilotage 12,5 kW`);
    expect(text).not.toContain('Pointe évitée grâce au pilotage');
    expect(text).toContain(`dépasse de 12,5${NBSP}kW celle d’une recharge sans pilotage (estimation) : le pilotage n’a pas réduit la pointe ce mois-ci.`);
  });

  it('writes its methodology from the run parameters', async () => {
    const params = runParamsSchema.parse({
      peakWindow: { start: '17:30', end: '20:30', weekdays: [1, 2, 3, 4, 5, 6] },
      minStations: 7, minBeneficiaries: 4, dominancePct: 80, episodeGapHours: 2.5, topN: 12,
    });
    const text = visibleText(await build({}, params));
    expect(text).toContain(`de 17${NBSP}h${NBSP}30 à 20${NBSP}h${NBSP}30, du lundi au samedi`);
    expect(text).toContain('au moins 7 points de charge et 4 bénéficiaires');
    expect(text).toContain('plus de 80 %');
    expect(text).toContain('séparées d’au plus 2,5 h'); // a gap of exactly the limit joins the chain
    expect(text).toContain('Les 12 demi-heures');
    expect(text).toContain('électricité consommée en France, importations comprises, source : ODRÉ (RTE), intensité de la consommation');
    const pRule = visibleText(await build({}, runParamsSchema.parse({ dominanceRule: 'p-percent', pPercent: 12.5 })));
    expect(pRule).toContain('au moins 12,5 % de celle du plus gros (règle du p %)');
    expect(pRule).not.toContain('plus de 85 %');
  });

  it('summarises data quality: rejections by code, coverage and missing carbon, in either CSV style', async () => {
    for (const csvLocale of ['en', 'fr'] as const) {
      const text = visibleText(await build({ csvLocale })).replace(/[ \t\n\r]+/g, ' ');
      expect(text).toContain('201 index d’énergie décroissant 5');
      expect(text).toContain('203 plus de 12 h entre deux index 3');
      expect(text).toContain('209 point de charge pas encore enregistré (session en attente) 1');
      expect(text).toContain(`fichiers Advenir 4${NNBSP}330 4${NNBSP}321 8 1`);
      expect(text).toContain(`sans intensité carbone connue : 0,25${NBSP}%`);
      expect(text).toContain(`ayant transmis des recharges : 87,5${NBSP}%`);
      expect(text).toContain('Territoires en secret statistique : 1 (trop peu de points de charge), 1 (secret secondaire');
    }
  });

  it('runs as a publishMonth writer without ever touching the store (privacy by construction)', async () => {
    const dir = await writePublishedFixture();
    const touched: string[] = [];
    const store = new Proxy({}, { get: (_target, key) => { touched.push(String(key)); throw new Error('the HTML report read the store'); } });
    const context = {
      store, dir, month: parseMonth('2024-05'), params: defaultRunParams(),
      carbon: { kind: 'production', sources: ['RTE eCO2mix'], slots: 1488 }, suppression: {},
    } as unknown as ReportContext;
    expect(await htmlReportWriter(context)).toEqual([REPORT_HTML_FILE]);
    expect(touched).toEqual([]);
    expect(visibleText(fs.readFileSync(path.join(dir, REPORT_HTML_FILE), 'utf8'))).toContain('production d’électricité en France');
  });

  it('gives the same bytes for the same inputs', async () => {
    const dir = await writePublishedFixture();
    const context = { month: '2024-05', params: defaultRunParams() };
    const first = fs.readFileSync(await writeReportHtml(dir, context));
    const second = fs.readFileSync(await writeReportHtml(dir, context));
    expect(second.equals(first)).toBe(true);
  });

  it('fails with a coded error when a published table is missing', async () => {
    const dir = await writePublishedFixture();
    fs.rmSync(path.join(dir, 'load_profile.parquet'));
    await expect(writeReportHtml(dir, { month: '2024-05', params: defaultRunParams() })).rejects.toMatchObject({ code: 'REPORT_INPUT_MISSING' });
  });
});

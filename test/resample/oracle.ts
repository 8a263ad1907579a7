/**
 * An independent, deliberately naive TypeScript oracle of indicators.md (issue 4, point 2): slot energies by
 * interpolating the cumulative index at slot bounds (curves) or prorating (operations), episodes by a greedy
 * walk, and the uncontrolled counterfactual by the same proration of a constant-power profile.
 */
export interface OracleChargePoint { cpId: number; region: string | null; nominalKw: number | null }
export type OracleSession =
  | { id: number; cpId: number; kind: 'curve'; points: Array<[number, number]> }
  | { id: number; cpId: number; kind: 'operation'; startS: number; stopS: number; energyWh: number };

const SLOT = 1800;

function indexAt(points: Array<[number, number]>, t: number): number {
  for (let i = 0; i + 1 < points.length; i++) {
    const [t0, v0] = points[i];
    const [t1, v1] = points[i + 1];
    if (t >= t0 && t <= t1) return t1 === t0 ? v1 : v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
  }
  return t < points[0][0] ? points[0][1] : points[points.length - 1][1];
}

/** Energy of a constant-power interval [a, b) carrying `wh`, added slot by slot to `into`. */
function prorate(into: Map<number, number>, a: number, b: number, wh: number): void {
  if (b <= a) {
    const slot = Math.floor(a / SLOT) * SLOT;
    into.set(slot, (into.get(slot) ?? 0) + wh);
    return;
  }
  for (let s = Math.floor(a / SLOT) * SLOT; s < b; s += SLOT) {
    const overlap = Math.min(b, s + SLOT) - Math.max(a, s);
    if (overlap > 0) into.set(s, (into.get(s) ?? 0) + (wh * overlap) / (b - a));
  }
}

function sessionSlots(session: OracleSession): Map<number, number> {
  const out = new Map<number, number>();
  if (session.kind === 'operation') {
    prorate(out, session.startS, session.stopS, session.energyWh);
    return out;
  }
  const pts = session.points;
  const first = pts[0][0];
  const last = pts[pts.length - 1][0];
  for (let s = Math.floor(first / SLOT) * SLOT; s < last; s += SLOT) {
    out.set(s, indexAt(pts, Math.min(s + SLOT, last)) - indexAt(pts, Math.max(s, first)));
  }
  return out;
}

function bounds(s: OracleSession): { start: number; stop: number; energy: number; power: number } {
  if (s.kind === 'operation') {
    return { start: s.startS, stop: s.stopS, energy: s.energyWh, power: s.stopS > s.startS ? s.energyWh / (s.stopS - s.startS) : 0 };
  }
  let power = 0;
  for (let i = 0; i + 1 < s.points.length; i++) {
    const dt = s.points[i + 1][0] - s.points[i][0];
    if (dt > 0) power = Math.max(power, (s.points[i + 1][1] - s.points[i][1]) / dt);
  }
  const p = s.points;
  return { start: p[0][0], stop: p[p.length - 1][0], energy: p[p.length - 1][1] - p[0][1], power };
}

/** Episodes: each curve alone; operations of one charge point chained greedily (gap and span rules). */
export function oracleEpisodes(sessions: OracleSession[], gapS: number, spanS: number): OracleSession[][] {
  const episodes: OracleSession[][] = sessions.filter((s) => s.kind === 'curve').map((s) => [s]);
  const ops = sessions.filter((s) => s.kind === 'operation') as Array<Extract<OracleSession, { kind: 'operation' }>>;
  ops.sort((a, b) => a.cpId - b.cpId || a.startS - b.startS || a.stopS - b.stopS || a.id - b.id);
  let current: typeof ops = [];
  for (const op of ops) {
    const previous = current[current.length - 1];
    const joins = previous && previous.cpId === op.cpId && op.startS - previous.stopS <= gapS && op.stopS - current[0].startS <= spanS;
    if (joins) current.push(op);
    else {
      if (current.length) episodes.push(current);
      current = [op];
    }
  }
  if (current.length) episodes.push(current);
  return episodes;
}

export interface OracleResult { actual: Map<string, number>; counterfactual: Map<string, number>; withoutCf: number }

export function oracle(cps: OracleChargePoint[], sessions: OracleSession[], month: { startS: number; endS: number },
  gapS: number, spanS: number): OracleResult {
  // Times relative to the month start, so that doubles keep sub-microsecond precision (UNIX seconds near
  // 1.7e9 would not); the month start is on a slot boundary, so slots are unchanged.
  const origin = month.startS;
  sessions = sessions.map((s) =>
    s.kind === 'curve'
      ? { ...s, points: s.points.map(([t, v]): [number, number] => [t - origin, v]) }
      : { ...s, startS: s.startS - origin, stopS: s.stopS - origin });
  month = { startS: 0, endS: month.endS - origin };
  const region = new Map(cps.map((c) => [c.cpId, c]));
  const actual = new Map<string, number>();
  const counterfactual = new Map<string, number>();
  const add = (into: Map<string, number>, cpId: number, slots: Map<number, number>) => {
    for (const [slot, wh] of slots) {
      if (slot < month.startS || slot >= month.endS) continue;
      const key = `${region.get(cpId)!.region}|${slot + origin}`;
      into.set(key, (into.get(key) ?? 0) + wh);
    }
  };
  for (const s of sessions) add(actual, s.cpId, sessionSlots(s));
  let withoutCf = 0;
  for (const episode of oracleEpisodes(sessions, gapS, spanS)) {
    const cp = region.get(episode[0].cpId)!;
    const b = episode.map(bounds);
    const energy = b.reduce((sum, x) => sum + x.energy, 0);
    const observed = Math.max(...b.map((x) => x.power));
    const power = cp.nominalKw && cp.nominalKw > 0 ? cp.nominalKw / 3.6 : observed > 0 ? observed : null;
    const t0 = Math.min(...b.map((x) => x.start));
    if (energy > 0 && power !== null) {
      const profile = new Map<number, number>();
      prorate(profile, t0, t0 + energy / power, energy);
      add(counterfactual, cp.cpId, profile);
    } else {
      if (energy > 0 && t0 >= month.startS && t0 < month.endS) withoutCf++;
      for (const s of episode) add(counterfactual, s.cpId, sessionSlots(s));
    }
  }
  return { actual, counterfactual, withoutCf };
}

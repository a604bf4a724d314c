// Makes the web interface's offline basemap: Syria and its neighbours from Natural Earth 1:10m
// admin-0 countries (public domain), as redistributed in TopoJSON by the npm package world-atlas.
//
//   cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
//   node <repo>/server/basemap/make-basemap.mjs package/countries-10m.json \
//       > <repo>/server/src/main/resources/org/truce/server/web/assets/basemap.geojson
//
// The TopoJSON arcs are decoded here (delta-encoded, quantised) rather than with topojson-client, so
// the script needs nothing but Node. Coordinates are rounded to 0.001° (about 100 m), well within
// the 1:10m source's own accuracy.
import { readFileSync } from "node:fs";

const NAMES = new Set(["Syria", "Turkey", "Iraq", "Jordan", "Lebanon", "Israel", "Palestine", "Cyprus",
  "N. Cyprus", "Cyprus U.N. Buffer Zone", "Saudi Arabia", "Egypt", "Iran"]);
const topo = JSON.parse(readFileSync(process.argv[2], "utf8"));
const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;
const round = (v) => Math.round(v * 1000) / 1000;

const arcs = topo.arcs.map((arc) => {
  let x = 0, y = 0;
  return arc.map(([dx, dy]) => {
    x += dx; y += dy;
    return [round(x * sx + tx), round(y * sy + ty)];
  });
});

function ring(indexes) {
  const out = [];
  for (const i of indexes) {
    const a = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
    for (let k = 0; k < a.length; k++) {
      if (out.length && k === 0) continue; // arcs share their joining point
      const p = a[k], last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
  }
  return out;
}

const features = [];
for (const g of topo.objects.countries.geometries) {
  if (!NAMES.has(g.properties.name)) continue;
  const polys = g.type === "Polygon" ? [g.arcs] : g.arcs;
  const coordinates = polys.map((p) => p.map(ring)).filter((p) => p[0].length >= 4);
  features.push({ type: "Feature", properties: { name: g.properties.name, iso: g.id ?? null },
    geometry: { type: "MultiPolygon", coordinates } });
}
process.stdout.write(JSON.stringify({ type: "FeatureCollection",
  source: "Natural Earth 1:10m admin-0 countries v4.1.0 (public domain), via world-atlas 2.0.2", features }) + "\n");

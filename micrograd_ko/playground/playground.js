// micrograd_ko playground: the live widget (anywidget's render) and the offline page (mountPage).
// A plain ES module: no build step, no CDN, nothing fetched from the network.
// The state both modes draw: sizes, activation, weights, grads, step, losses, history, points, labels,
// train flags, maps (uint8 per neuron over a grid, base64) and the setup.

const EXTENT = 1.5;
const NEG = [245, 147, 34];   // orange: negative
const POS = [8, 119, 189];    // blue: positive
const MID = [232, 234, 235];
const CSS = `
.mgk-play{font-family:"NanumGothic","Noto Sans KR","Malgun Gothic",sans-serif;font-size:13px;color:#222;}
.mgk-play .mgk-bar{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center;margin-bottom:8px;}
.mgk-play label{display:inline-flex;gap:4px;align-items:center;}
.mgk-play button{padding:2px 8px;cursor:pointer;}
.mgk-play .mgk-main{display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap;}
.mgk-play .mgk-net{position:relative;}
.mgk-play .mgk-net canvas{position:absolute;border:1px solid #999;image-rendering:pixelated;}
.mgk-play .mgk-net canvas.mgk-chosen{outline:3px solid #e6550d;}
.mgk-play .mgk-edge{cursor:pointer;}
.mgk-play .mgk-tip{position:absolute;z-index:10;background:#fff;border:1px solid #555;padding:4px 6px;
  white-space:pre;font-family:monospace;font-size:12px;pointer-events:none;display:none;}
.mgk-play .mgk-numbers{margin-top:4px;line-height:1.6;}
.mgk-play .mgk-error{color:#b00;min-height:1em;}
.mgk-play .mgk-setup{width:260px;font-family:monospace;font-size:11px;}
.mgk-play .mgk-graph{margin-top:10px;max-width:100%;overflow:auto;}
`;

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") el.className = v; else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (const c of children) el.append(c);
  return el;
}
function svg(tag, attrs = {}) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}
// numbers as shown: four significant digits
export const fmt = (x) => (x === null || x === undefined ? "–" : String(Number(x.toPrecision(4))));

// ---- the network's arithmetic, for the page (the widget gets its maps from Python's compiled program) ----
const ACT = {
  tanh: Math.tanh, relu: (z) => (z > 0 ? z : 0), sigmoid: (z) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))),
  linear: (z) => z,
};
// Where each weight lives: param index of w[layer][to][from] and of b[layer][to]; parameters() order.
function layout(sizes) {
  const w = [], b = [];
  let k = 0;
  for (let l = 1; l < sizes.length; l++) {
    const wl = [], bl = [];
    for (let j = 0; j < sizes[l]; j++) {
      const row = [];
      for (let i = 0; i < sizes[l - 1]; i++) row.push(k++);
      wl.push(row); bl.push(k++);
    }
    w.push(wl); b.push(bl);
  }
  return { w, b };
}
// Pre-activations and activations of every layer for one point.
export function forward(sizes, activation, weights, x) {
  const idx = layout(sizes);
  const zs = [x.slice()], as = [x.slice()];
  let a = x;
  for (let l = 1; l < sizes.length; l++) {
    const last = l === sizes.length - 1;
    const z = idx.w[l - 1].map((row, j) => row.reduce((s, p, i) => s + weights[p] * a[i], 0) + weights[idx.b[l - 1][j]]);
    a = z.map(last ? ACT.linear : ACT[activation]);
    zs.push(z); as.push(a);
  }
  return { zs, as };
}
export function gridPoint(grid, cell) {
  const r = Math.floor(cell / grid), c = cell % grid;
  const x1 = ((c + 0.5) / grid) * 2 * EXTENT - EXTENT, x2 = EXTENT - ((r + 0.5) / grid) * 2 * EXTENT;
  return [x1, x2];
}
const quantize = (u) => Math.round((Math.tanh(u) + 1) * 127.5);
// Every node's map (inputs, hidden neurons, output) over the grid, as uint8 arrays: the same code as Python's.
// Layer by layer over all cells at once, in typed arrays (a frame of the default network costs ~1 ms).
export function computeMaps(sizes, activation, weights, grid) {
  const cells = grid * grid, idx = layout(sizes), maps = [];
  let a = [new Float64Array(cells), new Float64Array(cells)];
  for (let cell = 0; cell < cells; cell++) [a[0][cell], a[1][cell]] = gridPoint(grid, cell);
  const store = (layer, half) => layer.forEach((values) => {
    const m = new Uint8Array(cells);
    for (let c = 0; c < cells; c++) m[c] = quantize(half ? values[c] / 2 : values[c]);
    maps.push(m);
  });
  store(a, false);
  for (let l = 1; l < sizes.length; l++) {
    const last = l === sizes.length - 1, act = last ? ACT.linear : ACT[activation], next = [];
    for (let j = 0; j < sizes[l]; j++) {
      const out = new Float64Array(cells).fill(weights[idx.b[l - 1][j]]);
      idx.w[l - 1][j].forEach((p, i) => { const w = weights[p], input = a[i]; for (let c = 0; c < cells; c++) out[c] += w * input[c]; });
      for (let c = 0; c < cells; c++) out[c] = act(out[c]);
      next.push(out);
    }
    store(next, last);
    a = next;
  }
  return maps;
}
function inputMaps(grid) {
  const m1 = new Uint8Array(grid * grid), m2 = new Uint8Array(grid * grid);
  for (let cell = 0; cell < grid * grid; cell++) {
    const [x1, x2] = gridPoint(grid, cell);
    m1[cell] = quantize(x1); m2[cell] = quantize(x2);
  }
  return [m1, m2];
}
function decodeMaps(b64, count, grid) {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return Array.from({ length: count }, (_, k) => bytes.subarray(k * grid * grid, (k + 1) * grid * grid));
}

// One colour per code 0..255 (127.5 = 0): orange below, grey at 0, blue above; RGBA, computed once.
const PALETTE = (() => {
  const table = new Uint8ClampedArray(256 * 4);
  for (let v = 0; v < 256; v++) {
    const t = (v - 127.5) / 127.5, end = t < 0 ? NEG : POS, a = Math.abs(t);
    for (let i = 0; i < 3; i++) table[v * 4 + i] = Math.round(MID[i] + (end[i] - MID[i]) * a);
    table[v * 4 + 3] = 255;
  }
  return table;
})();
function paint(canvas, map, grid) {
  if (canvas.width !== grid) { canvas.width = grid; canvas.height = grid; }
  const ctx = canvas.getContext("2d"), img = ctx.createImageData(grid, grid), px = img.data;
  for (let k = 0; k < grid * grid; k++) {
    const c = map[k] * 4;
    px[k * 4] = PALETTE[c]; px[k * 4 + 1] = PALETTE[c + 1]; px[k * 4 + 2] = PALETTE[c + 2]; px[k * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

// ---- the view: plot, network, losses; the same in both modes ----
function createView(root, options) {
  const { live, send } = options;
  root.classList.add("mgk-play");
  root.append(h("style", {}, CSS));
  const bar = h("div", { class: "mgk-bar" });
  const plot = h("canvas", { class: "mgk-plot", width: 300, height: 300, style: "border:1px solid #999;cursor:crosshair" });
  const surface = document.createElement("canvas");
  const net = h("div", { class: "mgk-net" });
  const tip = h("div", { class: "mgk-tip" });
  const chart = h("canvas", { class: "mgk-chart", width: 260, height: 130, style: "border:1px solid #ccc" });
  const numbers = h("div", { class: "mgk-numbers" });
  const error = h("div", { class: "mgk-error" });
  const graph = h("div", { class: "mgk-graph" });
  root.append(bar, h("div", { class: "mgk-main" },
    h("div", {}, h("div", {}, "데이터와 결정 경계 (decision surface)"), plot,
      h("div", { style: "font-size:11px;color:#555" }, "흰 테두리: 학습 점(train), 검은 테두리: 시험 점(test)"),
      h("div", { style: "font-size:11px;color:#555" }, live ? "클릭: 점 추가(파랑 +1), Shift+클릭: 주황 -1, 점 클릭: 선택" : "점 클릭: 선택")),
    h("div", {}, h("div", {}, "신경망 (network): 뉴런마다 자기 출력 지도"), net),
    h("div", {}, h("div", {}, "손실 (loss): 학습(train) 파랑, 시험(test) 주황"), chart, numbers)), error, graph, tip);
  const view = { root, bar, state: null, chosenPoint: 0, chosenNeuron: null, layoutKey: "", nodes: [], edges: [] };

  plot.addEventListener("click", (event) => {
    const s = view.state; if (!s) return;
    const rect = plot.getBoundingClientRect();
    const px = event.clientX - rect.left, py = event.clientY - rect.top;
    const x1 = (px / plot.width) * 2 * EXTENT - EXTENT, x2 = EXTENT - (py / plot.height) * 2 * EXTENT;
    let best = -1, dist = 7;
    s.points.forEach(([a, b], i) => {
      const d = Math.hypot(((a + EXTENT) / (2 * EXTENT)) * plot.width - px, ((EXTENT - b) / (2 * EXTENT)) * plot.height - py);
      if (d < dist) { dist = d; best = i; }
    });
    if (best >= 0 && !event.altKey) { view.chosenPoint = best; draw(view); if (view.onChoose) view.onChoose(); return; }
    if (live && !(s.setup.hidden || []).includes("add_point")) send({ action: "add_point", x1, x2, label: event.shiftKey ? -1 : 1 });
  });
  net.addEventListener("mouseleave", () => { tip.style.display = "none"; });
  view.showTip = (event, text) => {
    const rect = root.getBoundingClientRect();
    tip.textContent = text; tip.style.display = "block";
    tip.style.left = `${event.clientX - rect.left + 14}px`; tip.style.top = `${event.clientY - rect.top + 14}px`;
  };
  view.hideTip = () => { tip.style.display = "none"; };
  Object.assign(view, { plot, surface, net, tip, chart, numbers, error, graph });
  return view;
}

function buildNetwork(view) {
  const s = view.state, sizes = s.sizes, net = view.net;
  net.replaceChildren();
  const box = 40, gapX = 80, gapY = 12, tall = Math.max(...sizes) * (box + gapY);
  const width = sizes.length * box + (sizes.length - 1) * gapX;
  net.style.width = `${width}px`; net.style.height = `${tall}px`;
  const lines = svg("svg", { width, height: tall, style: "position:absolute;left:0;top:0" });
  net.append(lines);
  const pos = sizes.map((n, l) => Array.from({ length: n }, (_, j) => [l * (box + gapX), (tall - n * (box + gapY)) / 2 + j * (box + gapY) + gapY / 2]));
  const idx = layout(sizes);
  view.edges = [];
  const hits = [];
  for (let l = 1; l < sizes.length; l++) for (let j = 0; j < sizes[l]; j++) for (let i = 0; i < sizes[l - 1]; i++) {
    const [x0, y0] = pos[l - 1][i], [x1, y1] = pos[l][j];
    const param = idx.w[l - 1][j][i];
    const path = svg("path", { class: "mgk-edge", "data-param": param, "data-layer": l, "data-from": i, "data-to": j,
      d: `M${x0 + box},${y0 + box / 2} C${x0 + box + gapX / 2},${y0 + box / 2} ${x1 - gapX / 2},${y1 + box / 2} ${x1},${y1 + box / 2}`,
      fill: "none" });
    // a wide transparent copy on top catches the mouse, so a thin edge is easy to hover
    const hit = path.cloneNode();
    hit.setAttribute("class", "mgk-edge-hit"); hit.setAttribute("stroke", "transparent"); hit.setAttribute("stroke-width", "9");
    for (const target of [path, hit]) {
      target.addEventListener("mousemove", (e) => view.showTip(e, edgeText(view, l, i, j, param)));
      target.addEventListener("mouseleave", view.hideTip);
    }
    lines.append(path); hits.push(hit); view.edges.push(path);
  }
  lines.append(...hits);
  view.nodes = [];
  sizes.forEach((n, l) => pos[l].forEach(([x, y], j) => {
    const c = h("canvas", { class: "mgk-neuron", "data-layer": l, "data-neuron": j, style: `left:${x}px;top:${y}px;width:${box}px;height:${box}px` });
    c.addEventListener("mousemove", (e) => view.showTip(e, neuronText(view, l, j)));
    c.addEventListener("mouseleave", view.hideTip);
    c.addEventListener("click", () => {
      if (l === 0) return;
      view.chosenNeuron = [l, j]; draw(view);
      if (view.onNeuron) view.onNeuron(view.chosenPoint, l, j);
    });
    net.append(c); view.nodes.push(c);
  }));
}

const NAMES = (l, j, last) => (l === 0 ? `x${j + 1}` : l === last ? "출력(output)" : `h${l}.${j + 1}`);
function edgeText(view, l, i, j, param) {
  const s = view.state, w = s.weights[param], g = s.grads[param], lr = s.lr, last = s.sizes.length - 1;
  const lines = [`${NAMES(l - 1, i, last)} → ${NAMES(l, j, last)}`, `가중치(weight) w = ${fmt(w)}`,
    `기울기(gradient) ∂L/∂w = ${fmt(g)}`, `갱신(update) Δw = −η·∂L/∂w = −${fmt(lr)} × ${fmt(g)} = ${fmt(-lr * g)}`];
  if (s.next_weights) lines.push(`실제 갱신(actual update) 다음 단계 w − 지금 w = ${fmt(s.next_weights[param] - w)}`);
  else if (s.setup.optimizer !== "sgd") lines.push(`(${s.setup.optimizer === "adam" ? "Adam" : "모멘텀(momentum)"}은 실제 Δw가 다릅니다)`);
  return lines.join("\n");
}
function neuronText(view, l, j) {
  const s = view.state, last = s.sizes.length - 1, point = s.points[view.chosenPoint] || [0, 0];
  const { zs, as } = forward(s.sizes, s.activation, s.weights, point);
  const name = NAMES(l, j, last);
  if (l === 0) return `${name} = ${fmt(point[j])} (점 #${view.chosenPoint})`;
  const idx = layout(s.sizes), act = l === last ? "linear" : s.activation;
  const terms = idx.w[l - 1][j].map((p, i) => `${fmt(s.weights[p])}×${fmt(as[l - 1][i])}`).join(" + ");
  return [`${name}, 점 #${view.chosenPoint} (${fmt(point[0])}, ${fmt(point[1])})`,
    `사전 활성화(pre-activation) z = ${terms} + ${fmt(s.weights[idx.b[l - 1][j]])} = ${fmt(zs[l][j])}`,
    `활성화(activation) a = ${act}(z) = ${fmt(as[l][j])}`].join("\n");
}

function draw(view) {
  const s = view.state; if (!s) return;
  const key = JSON.stringify(s.sizes);
  if (key !== view.layoutKey) { buildNetwork(view); view.layoutKey = key; }
  const grid = s.grid, count = s.sizes.reduce((a, n) => a + n, 0) - 2;
  const maps = s.maps || [...inputMaps(grid), ...decodeMaps(s.maps_b64, count, grid)];
  view.nodes.forEach((c, k) => { paint(c, maps[k], grid); c.classList.toggle("mgk-chosen", !!view.chosenNeuron && +c.dataset.layer === view.chosenNeuron[0] && +c.dataset.neuron === view.chosenNeuron[1]); });
  view.edges.forEach((e) => {
    const w = s.weights[+e.dataset.param];
    e.setAttribute("stroke", `rgb(${(w < 0 ? NEG : POS).join(",")})`);
    e.setAttribute("stroke-width", Math.min(0.5 + 3 * Math.abs(w), 8).toFixed(2));
  });
  // the plot: the output's map under the points
  paint(view.surface, maps[maps.length - 1], grid);
  const ctx = view.plot.getContext("2d"), W = view.plot.width, H = view.plot.height;
  ctx.imageSmoothingEnabled = true; ctx.drawImage(view.surface, 0, 0, W, H);
  s.points.forEach(([a, b], i) => {
    const x = ((a + EXTENT) / (2 * EXTENT)) * W, y = ((EXTENT - b) / (2 * EXTENT)) * H;
    ctx.beginPath(); ctx.arc(x, y, i === view.chosenPoint ? 6 : 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${(s.labels[i] > 0 ? POS : NEG).join(",")})`;
    ctx.strokeStyle = s.train[i] ? "#fff" : "#000"; ctx.lineWidth = i === view.chosenPoint ? 3 : 1;
    ctx.fill(); ctx.stroke();
  });
  drawChart(view.chart, s.history);
  const root = view.root;
  root.dataset.step = s.step; root.dataset.trainLoss = s.train_loss; root.dataset.points = s.points.length;
  if (!view.numbers.firstChild) view.numbers.append(
    h("div", {}, "단계(step) ", h("b", { class: "mgk-step" })),
    h("div", {}, "학습 손실(train loss) ", h("b", { class: "mgk-train-loss" })),
    h("div", {}, "시험 손실(test loss) ", h("b", { class: "mgk-test-loss" })),
    h("div", { class: "mgk-counts" }));
  const q = (c) => view.numbers.querySelector(c);
  q(".mgk-step").textContent = String(s.step);
  q(".mgk-train-loss").textContent = fmt(s.train_loss);
  q(".mgk-test-loss").textContent = fmt(s.test_loss);
  q(".mgk-counts").textContent = `점(points) ${s.points.length}개 · 학습률(learning rate) η = ${s.lr}`;
}

function drawChart(canvas, history) {
  const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  if (!history.length) return;
  const top = Math.max(...history.flatMap((r) => [r[1], r[2] ?? 0]), 1e-9), end = Math.max(history[history.length - 1][0], 1);
  [[1, "rgb(8,119,189)"], [2, "rgb(245,147,34)"]].forEach(([col, style]) => {
    ctx.beginPath(); ctx.strokeStyle = style; ctx.lineWidth = 1.5;
    history.forEach((r, k) => {
      if (r[col] === null) return;
      const x = (r[0] / end) * (W - 4) + 2, y = H - 2 - (r[col] / top) * (H - 4);
      if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
  });
}

// ---- the live widget: controls send actions; Python answers with a new state ----
const CHOICES = {
  dataset: [["moons", "두 반달(moons)"], ["circles", "원(circles)"], ["xor", "XOR"], ["spiral", "나선(spiral)"], ["gaussians", "두 가우시안(Gaussians)"], ["custom", "직접 찍기(custom)"]],
  optimizer: [["sgd", "SGD"], ["momentum", "모멘텀(momentum)"], ["adam", "Adam"]],
  activation: [["tanh", "tanh"], ["relu", "ReLU"], ["sigmoid", "시그모이드(sigmoid)"], ["linear", "선형(linear)"]],
  lr: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10].map((v) => [v, String(v)]),
  l2: [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1].map((v) => [v, String(v)]),
  batch_size: [1, 5, 10, 20, 50, 100, 200].map((v) => [v, String(v)]),
  noise: [0, 0.05, 0.1, 0.2, 0.3, 0.5].map((v) => [v, String(v)]),
};
const LABELS = { dataset: "데이터(dataset)", optimizer: "최적화(optimizer)", activation: "활성화(activation)", lr: "학습률(learning rate)",
  l2: "L2 규제(L2)", batch_size: "배치 크기(batch size)", noise: "잡음(noise)" };

function liveControls(view, model, send) {
  const bar = view.bar, controls = {};
  const play = h("button", { class: "mgk-play-button", "data-control": "play", onclick: () => send({ action: model.get("state").playing ? "pause" : "play" }) }, "▶ 재생(play)");
  const step = h("button", { class: "mgk-step-button", "data-control": "step", onclick: () => send({ action: "step" }) }, "한 단계(step)");
  const reset = h("button", { class: "mgk-reset-button", "data-control": "reset", onclick: () => send({ action: "reset" }) }, "⟲ 처음부터(reset)");
  bar.append(play, step, reset);
  for (const [name, options] of Object.entries(CHOICES)) {
    const select = h("select", { class: `mgk-${name}`, onchange: () => {
      const raw = select.value, value = name === "dataset" || name === "optimizer" || name === "activation" ? raw : Number(raw);
      send({ action: "configure", changes: { [name]: value } });
    } });
    options.forEach(([v, text]) => select.append(h("option", { value: String(v) }, text)));
    const wrap = h("label", { "data-control": name }, LABELS[name], select);
    bar.append(wrap); controls[name] = select;
  }
  const layers = h("span", { "data-control": "layers", class: "mgk-layers" });
  bar.append(layers);
  const text = h("input", { class: "mgk-setup", type: "text" });
  const copy = h("button", { onclick: () => { text.select(); navigator.clipboard?.writeText(text.value).catch(() => {}); } }, "복사(copy)");
  const load = h("button", { class: "mgk-load", onclick: () => send({ action: "load", text: text.value }) }, "불러오기(load)");
  bar.append(h("label", { "data-control": "setup_text" }, "설정 글(setup text)", text, copy, load));
  return (s) => {
    play.textContent = s.playing ? "⏸ 멈춤(pause)" : "▶ 재생(play)";
    for (const [name, select] of Object.entries(controls)) {
      const value = String(s.setup[name]);
      if (![...select.options].some((o) => o.value === value)) select.append(h("option", { value }, value));
      select.value = value;
    }
    if (document.activeElement !== text) text.value = s.setup_text;
    const sizes = s.setup.layers;
    if (layers.dataset.key === JSON.stringify(sizes)) return hideControls(bar, s);
    layers.dataset.key = JSON.stringify(sizes);
    layers.replaceChildren("은닉층(hidden layers) ",
      h("button", { class: "mgk-layer-add", onclick: () => send({ action: "configure", changes: { layers: [...sizes, 2] } }) }, "+층"),
      h("button", { class: "mgk-layer-remove", onclick: () => send({ action: "configure", changes: { layers: sizes.slice(0, -1) } }) }, "−층"),
      ...sizes.map((n, k) => h("span", {}, ` ${k + 1}층 ${n}개 `,
        h("button", { onclick: () => send({ action: "configure", changes: { layers: sizes.map((m, q) => (q === k ? m + 1 : m)) } }) }, "+"),
        h("button", { onclick: () => send({ action: "configure", changes: { layers: sizes.map((m, q) => (q === k ? m - 1 : m)) } }) }, "−"))));
    hideControls(bar, s);
  };
}
function hideControls(bar, s) {
  for (const el of bar.querySelectorAll("[data-control]")) el.style.display = (s.setup.hidden || []).includes(el.dataset.control) ? "none" : "";
}

function showGraph(view, html) {
  view.graph.innerHTML = html;
  view.graph.querySelectorAll("script").forEach((old) => {  // innerHTML never runs scripts: re-create them
    const script = document.createElement("script");
    for (const a of old.attributes) script.setAttribute(a.name, a.value);
    script.textContent = old.textContent;
    old.replaceWith(script);
  });
}

function render({ model, el }) {
  const send = (message) => model.send(message);
  const view = createView(el, { live: true, send });
  const update = liveControls(view, model, send);
  view.onNeuron = (point, layer, neuron) => send({ action: "graph", index: point, layer, neuron });
  const graphChanged = () => showGraph(view, model.get("graph") || "");
  model.on("change:graph", graphChanged);
  let wasPlaying = false;
  const refresh = () => {
    const s = model.get("state");
    view.state = s;
    if (view.chosenPoint >= s.points.length) view.chosenPoint = 0;
    draw(view); update(s);
    view.error.textContent = s.error || "";
    // while playing, every new state asks for the next step; two asks stay in flight, so the kernel
    // computes step t+1 while the page draws step t
    if (s.playing) send({ action: "tick" });
    if (s.playing && !wasPlaying) send({ action: "tick" });
    wasPlaying = s.playing;
  };
  model.on("change:state", refresh);
  refresh();
  return () => { model.off("change:state", refresh); model.off("change:graph", graphChanged); };
}
export default { render };

// ---- the offline page: the recorded frames, a slider and a play button; the view kept in the URL fragment ----
export function mountPage(el, data) {
  const view = createView(el, { live: false });
  const grid = data.grid, last = data.frames.length - 1;
  const losses = data.frames.map((f) => [f[0], f[3], f[4]]);
  const slider = h("input", { class: "mgk-slider", type: "range", min: 0, max: last, value: 0 });
  const play = h("button", { class: "mgk-play-button" }, "▶ 재생(play)");
  const counter = h("span", { class: "mgk-counter" });
  const notice = h("span", { class: "mgk-notice", style: "color:#b00" });
  view.bar.append(play, slider, counter, h("span", { class: "mgk-setup-text", title: data.setup_text, style: "font-family:monospace;font-size:11px;display:inline-block;max-width:240px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap" }, data.setup_text), notice);
  let frame = 0, timer = null;
  const show = (k) => {
    frame = Math.max(0, Math.min(last, k));
    const f = data.frames[frame];
    const weights = f[1];
    view.state = { sizes: data.sizes, activation: data.activation, weights, grads: f[2], step: f[0], train_loss: f[3], test_loss: f[4],
      lr: f[5], next_weights: frame < last && data.frames[frame + 1][0] === f[0] + 1 ? data.frames[frame + 1][1] : null,
      history: losses.slice(0, frame + 1), points: data.points, labels: data.labels, train: data.train, grid,
      setup: data.setup, maps: [...inputMaps(grid), ...computeMaps(data.sizes, data.activation, weights, grid).slice(2)] };
    slider.value = String(frame); counter.textContent = `${frame} / ${last}`;
    el.dataset.frame = String(frame);
    draw(view);
    if (!timer) keepFragment();  // while playing, the fragment is written when it stops
  };
  const keepFragment = () => {
    const fragment = `#${data.setup_text}&t=${frame}&p=${view.chosenPoint}`;
    if (location.hash !== fragment) history.replaceState(null, "", fragment);
  };
  slider.addEventListener("input", () => show(Number(slider.value)));
  const stop = () => { clearInterval(timer); timer = null; play.textContent = "▶ 재생(play)"; keepFragment(); };
  play.addEventListener("click", () => {
    if (timer) { stop(); return; }
    if (frame >= last) show(0);
    play.textContent = "⏸ 멈춤(pause)";
    timer = setInterval(() => {
      const next = frame + 1;
      if (next >= last) { stop(); show(last); } else show(next);  // stopped first: the last frame writes the fragment
    }, 50);
  });
  const restore = () => {
    const raw = decodeURIComponent(location.hash.slice(1));
    if (!raw) return 0;
    const [text, ...rest] = raw.split("&"), args = Object.fromEntries(rest.map((p) => p.split("=")));
    if (text && text !== data.setup_text) { notice.textContent = "링크의 설정(setup)이 이 기록과 다릅니다: 기록된 설정을 보여 줍니다"; return 0; }
    if (args.p !== undefined && +args.p >= 0 && +args.p < data.points.length) view.chosenPoint = +args.p;
    return Number(args.t) || 0;
  };
  view.onChoose = keepFragment;
  show(restore());
  window.addEventListener("hashchange", () => show(restore()));
  return view;
}

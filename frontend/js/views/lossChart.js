// The loss chart: the training loss ℓ of every iteration and the test loss where it was
// taken, drawn live with uPlot. New points are appended to the view's own arrays and drawn
// at most once per animation frame; the chart follows its container's width.

import uPlot from "../../vendor/uplot/uPlot.esm.js";
import { decimate } from "../decimate.js";
import { fmt } from "../math.js";

const TRAIN = "#2166ac";
const TEST = "#d55e00";

/** A loss for the readout: 4 significant digits, plain text. */
function plain(v) {
  if (v === null || v === undefined) return "–";
  return fmt(v).replace("\\times10^{", "e").replace("}", "").replace("\\text{NaN}", "NaN");
}

export function LossChartView(el) {
  el.classList.add("loss-chart-view");
  el.innerHTML = `
    <header class="lc-head">
      <span class="lc-readout" aria-live="off"></span>
      <span class="lc-legend"><span><i class="lc-key lc-key-train"></i>training</span>
        <span class="lc-test"><i class="lc-key lc-key-test"></i>test</span></span>
      <label class="lc-log"><input type="checkbox" class="lc-log-box"> log scale</label>
    </header>
    <div class="lc-plot"></div>
    <p class="view-empty lc-empty">The loss appears here after the first iteration.</p>`;
  const plotEl = el.querySelector(".lc-plot");
  const readout = el.querySelector(".lc-readout");
  const logBox = el.querySelector(".lc-log-box");
  const xs = []; // iteration numbers 1..n
  const ys = []; // training loss of each iteration
  const ts = []; // test loss at the iterations it was taken, else null
  let testCursor = 0; // entries of history.test already placed
  let testCount = 0; // iterations that have a test loss
  let hasTest = false;
  let history = { loss: [], test: [] };
  let lossRef = null; // the history.loss array the points were read from
  let lastTest = null; // the last history.test entry placed
  let plot = null;
  let frameRequest = 0; // a pending timeout or animation frame
  let lastDraw = 0;
  let log = false;

  el.dataset.points = "0";
  el.dataset.testPoints = "0";
  el.dataset.log = "false";

  function size() {
    return { width: Math.max(120, plotEl.clientWidth), height: Math.max(80, plotEl.clientHeight || 200) };
  }

  function showReadout(i) {
    const n = xs.length;
    if (!n) { readout.textContent = ""; return; }
    const at = i === null || i === undefined || i >= n ? n - 1 : i;
    let test = ts[at];
    if (i === null || i === undefined) { // the latest test value, not necessarily at n
      for (let j = n - 1; j >= 0 && test === null; j--) test = ts[j];
    }
    readout.textContent = `iteration ${xs[at]} · loss ${plain(ys[at])}` +
      (hasTest ? ` · test ${plain(test)}` : "");
  }

  function create() {
    if (plot) plot.destroy();
    const opts = {
      ...size(),
      legend: { show: false },
      cursor: { drag: { x: true, y: false }, points: { size: 6 } },
      scales: { x: { time: false }, y: { distr: log ? 3 : 1 } },
      axes: [
        { label: "iteration", labelSize: 18, size: 32, stroke: "#57606a", grid: { stroke: "#eaeef2" } },
        { label: "loss ℓ", labelSize: 18, size: 56, stroke: "#57606a", grid: { stroke: "#eaeef2" } },
      ],
      series: [
        {},
        { label: "training loss", stroke: TRAIN, width: 1.5, points: { size: 5, fill: TRAIN } },
        { label: "test loss", stroke: TEST, width: 1, spanGaps: true, dash: [4, 3],
          points: { show: true, size: 4, stroke: TEST, fill: "#fff" } },
      ],
      hooks: { setCursor: [(u) => showReadout(fullIndex(u))] },
    };
    plot = new uPlot(opts, [xs, ys, ts], plotEl);
  }

  function clearTests() {
    for (let i = 0; i < ts.length; i++) ts[i] = null;
    testCursor = testCount = 0;
    hasTest = false;
  }

  // The store appends to history.loss in place and replaces the array on a reset or a
  // rewind; history.test is replaced whenever it grows, so it is matched by content.
  function sync() {
    const loss = history.loss || [];
    const tests = history.test || [];
    if (loss !== lossRef || loss.length < xs.length) {
      xs.length = ys.length = ts.length = 0;
      clearTests();
      lossRef = loss;
    }
    for (let i = xs.length; i < loss.length; i++) {
      xs.push(i + 1);
      ys.push(loss[i]);
      ts.push(null);
    }
    if (tests.length < testCursor || (testCursor && tests[testCursor - 1] !== lastTest &&
        String(tests[testCursor - 1]) !== String(lastTest))) clearTests();
    for (; testCursor < tests.length; testCursor++) {
      const [it, v] = tests[testCursor];
      if (it > xs.length) break; // its iteration's loss has not arrived yet
      if (it >= 1 && v !== null) {
        if (ts[it - 1] === null) testCount++;
        ts[it - 1] = v;
        hasTest = true;
      }
      lastTest = tests[testCursor];
    }
  }

  function draw() {
    frameRequest = 0;
    lastDraw = performance.now();
    sync();
    const n = xs.length;
    el.classList.toggle("is-empty", n === 0);
    el.classList.toggle("has-test", hasTest);
    if (!plot) create();
    // A redraw costs time in proportion to the points: past a few per pixel column, draw
    // each column's lowest and highest loss only (the read-outs still use every point).
    plot.setData(decimate(xs, ys, ts, Math.max(200, Math.round(plot.width))));
    el.dataset.points = String(n);
    el.dataset.testPoints = String(testCount);
    showReadout(fullIndex(plot));
  }

  // The cursor indexes the drawn (maybe decimated) points; iteration x is xs[x - 1].
  function fullIndex(u) {
    const i = u.cursor.idx;
    return i === null || i === undefined || !u.data[0].length ? null : u.data[0][i] - 1;
  }

  // Long histories redraw less often: a redraw costs time in proportion to the points.
  function schedule() {
    if (frameRequest) return;
    const n = xs.length;
    const wait = n > 200000 ? 500 : n > 50000 ? 200 : 0;
    const due = lastDraw + wait - performance.now();
    frameRequest = due > 0
      ? setTimeout(() => { frameRequest = requestAnimationFrame(draw); }, due)
      : requestAnimationFrame(draw);
  }

  logBox.addEventListener("change", () => {
    log = logBox.checked;
    el.dataset.log = String(log);
    create();
  });

  new ResizeObserver(() => { if (plot) plot.setSize(size()); }).observe(plotEl);

  function update(state) {
    const h = state.history || { loss: [], test: [] };
    const loss = h.loss || [];
    const test = h.test || [];
    if (h === history && loss.length === xs.length && test.length === testCursor) return;
    history = h;
    schedule();
  }

  return { update };
}

// @ts-check
// Play/pause, the step buttons, reset, explain/train mode, speed, the read-outs, and whose job
// it is: the page's own (delete) or someone else's (read-only, fork). The read-outs say what
// each number is: the batch ℓ of the iteration shown, and the whole-set losses and accuracies
// at the weights after the iteration they name; ▶/⏸ and the status follow activity.js.

import { count, fmt, percent } from "../format.js";
import { PHASES } from "../animation.js";
import { activity } from "../activity.js";
import { sensibleTolerance } from "../hints.js";
import { lossRevealed, shownMetrics } from "../metrics.js";
import { canTrain, owns, shownCounters } from "../selectors.js";
import { html, setAttr, setText } from "./svg.js";

/** @import { Counters, State, View } from "../types.js" */
/**
 * What the toolbar asks of the controller (controller.js's actions).
 * @typedef {object} ToolbarActions
 * @property {() => unknown} [reset]
 * @property {() => unknown} [play]
 * @property {() => unknown} [pause]
 * @property {() => unknown} [stepPhase]
 * @property {() => unknown} [stepIteration]
 * @property {() => unknown} [stepEpoch]
 * @property {(mode: "explain" | "train") => unknown} [setMode]
 * @property {(speed: number) => unknown} [setAnimSpeed]
 * @property {(speed: number | null) => unknown} [setTrainSpeed]
 * @property {() => unknown} [fork]
 * @property {() => unknown} [deleteJob]
 */

/** @type {Record<string, string>} */
const ICONS = {
  reset: '<path d="M4 12a8 8 0 1 0 2.4-5.7" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/><path d="M3 3v5.5h5.5" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/>',
  play: '<path d="M7 4.5v15l12.5-7.5z" fill="currentColor"/>',
  pause: '<rect x="6" y="4.5" width="4.2" height="15" rx="1" fill="currentColor"/><rect x="13.8" y="4.5" width="4.2" height="15" rx="1" fill="currentColor"/>',
  "step-phase": '<path d="M6 6v12l8-6z" fill="currentColor"/><rect x="15.5" y="6" width="2.6" height="12" rx="0.8" fill="currentColor"/>',
  "step-iteration": '<path d="M3.5 6v12l7-6zM10.5 6v12l7-6z" fill="currentColor"/><rect x="18" y="6" width="2.6" height="12" rx="0.8" fill="currentColor"/>',
  "step-epoch": '<path d="M2.5 6v12l6.2-6zM8.7 6v12l6.2-6zM14.9 6v12l6.2-6z" fill="currentColor"/>',
};

/** @type {[string, number | null][]} */
const TRAIN_SPEEDS = [["1", 1], ["5", 5], ["20", 20], ["100", 100], ["1000", 1000], ["max", null]];
const ENDED = ["finished", "converged", "diverged", "failed", "stopped"];

/**
 * The toolbar in `el`.
 * @param {HTMLElement} el
 * @param {ToolbarActions} actions
 * @returns {View<State>}
 */
export function ToolbarView(el, actions) {
  el.classList.add("toolbar");
  const transport = html("div", { class: "transport", role: "group", "aria-label": "Training" }, el);
  const reset = button(transport, "reset", "Reset to the initial weights", "Reset");
  const play = button(transport, "play", "Play", null, "play-button");
  const stepPhase = button(transport, "step-phase", "Step one phase", "Phase");
  const stepIteration = button(transport, "step-iteration", "Step one iteration", "Iteration");
  const stepEpoch = button(transport, "step-epoch", "Step one epoch", "Epoch");
  /** @type {Record<string, (() => unknown) | undefined>} */
  const handlers = { reset: actions.reset, "step-phase": actions.stepPhase,
    "step-iteration": actions.stepIteration, "step-epoch": actions.stepEpoch };
  for (const b of [reset, stepPhase, stepIteration, stepEpoch]) {
    b.addEventListener("click", () => handlers[b.dataset.action ?? ""]?.());
  }
  play.addEventListener("click", () => (play.dataset.action === "pause" ? actions.pause?.() : actions.play?.()));

  const modeBox = html("div", { class: "mode", role: "radiogroup", "aria-label": "Mode" }, el);
  const modes = /** @type {const} */ (["explain", "train"]).map((m) => {
    const label = html("label", { class: "seg" }, modeBox);
    const input = html("input", { type: "radio", name: "mode", value: m, "data-mode": m }, label);
    html("span", {}, label, m === "explain" ? "Explain" : "Train");
    input.addEventListener("change", () => input.checked && actions.setMode?.(m));
    return input;
  });

  const speedBox = html("label", { class: "speed" }, el);
  const speedLabel = html("span", { class: "label" }, speedBox, "Speed");
  const anim = html("input", { type: "range", min: "-2", max: "3", step: "1", value: "0",
    "aria-label": "Animation speed", "data-control": "anim-speed" }, speedBox);
  const animOut = html("output", { class: "speed-out" }, speedBox);
  const train = html("select", { "aria-label": "Iterations per second", "data-control": "train-speed" }, speedBox);
  for (const [label] of TRAIN_SPEEDS) html("option", { value: label }, train, label === "max" ? "max it/s" : `${label} it/s`);
  anim.addEventListener("input", () => actions.setAnimSpeed?.(2 ** Number(anim.value)));
  train.addEventListener("change", () => actions.setTrainSpeed?.(/** @type {[string, number | null]} */ (TRAIN_SPEEDS.find(([l]) => l === train.value))[1]));

  const owner = html("div", { class: "owner", role: "group", "aria-label": "The job" }, el);
  const ownerText = html("span", { class: "owner-text", "data-readout": "owner" }, owner);
  const forkButton = html("button", { type: "button", class: "tool", "data-action": "fork",
    title: "Copy this job's setup and current weights into a job of your own, at iteration 0" }, owner, "Fork");
  const deleteButton = html("button", { type: "button", class: "tool danger", "data-action": "delete-job",
    title: "Delete this job from the server" }, owner, "Delete");
  forkButton.addEventListener("click", () => actions.fork?.());
  deleteButton.addEventListener("click", () => actions.deleteJob?.());

  const readouts = html("dl", { class: "readouts" }, el);
  /** @param {string} name @param {string} label @param {string} title @param {HTMLElement} [parent] */
  const read = (name, label, title, parent = readouts) => {
    const box = html("div", { class: `readout readout-${name}`, title }, parent);
    html("dt", {}, box, label);
    return html("dd", { "data-readout": name }, box);
  };
  const status = read("status", "Status", "");
  const epoch = read("epoch", "Epoch", "Epochs begun: one epoch is one pass over the training rows");
  const iteration = read("iteration", "Iteration", "Weight updates so far (the iteration shown)");
  const phase = read("phase", "Phase", "The phase of the iteration the diagram explains");
  const loss = read("loss", "Batch ℓ", "The loss ℓ of this iteration's batch (eq. 5), before its update: it " +
    "changes with every batch, so it is noisy; the whole-set losses beside it are comparable");
  const whole = html("div", { class: "readout-group", role: "group", "aria-label": "The whole data set" }, readouts);
  const wholeCaption = html("span", { class: "group-caption", "data-readout": "metrics-iteration" }, whole);
  const trainLoss = read("train-loss", "Train ℓ", "The loss of each training row on its own, averaged over " +
    "the whole training set, at the weights after the iteration named above", whole);
  const testLoss = read("test-loss", "Test ℓ", "The same over the held-out test rows (none without a test split)", whole);
  const accuracy = read("accuracy", "Accuracy", "Training rows classified right: one output thresholded at 0.5, " +
    "several by the largest (classification only)", whole);
  const testAccuracy = read("test-accuracy", "Test acc.", "Test rows classified right", whole);
  const delta = read("max-delta", "max |ΔW|", "");
  const tolerance = html("small", { class: "tolerance", "data-readout": "tolerance" }, boxOf(delta));

  /** The whole-set read-outs: what the job's metrics say, at the iteration they name. */
  /** @param {State} s */
  function showMetrics(s) {
    const m = shownMetrics(s);
    const data = s.dataset;
    /** @param {HTMLElement} dd @param {number | null | undefined} v @param {(v: number | null | undefined) => string} text */
    const value = (dd, v, text) => {
      setText(dd, text(v));
      setAttr(dd, "data-value", v === null || v === undefined ? "" : String(v));
    };
    value(trainLoss, m.train_loss, fmt);
    value(testLoss, m.test_loss, fmt);
    value(accuracy, m.train_accuracy, percent);
    value(testAccuracy, m.test_accuracy, percent);
    const tested = (data?.test_rows ?? 0) > 0 || m.test_loss !== null;
    const classifies = data?.kind === "classification" || m.train_accuracy !== null;
    boxOf(testLoss).hidden = !tested;
    boxOf(accuracy).hidden = !classifies;
    boxOf(testAccuracy).hidden = !(tested && classifies);
    setText(wholeCaption, m.iteration === null ? "whole set" : `whole set · after it. ${count(m.iteration)}`);
  }

  /** The last update's largest |ΔW| beside τ: the run converges once every |ΔW| < τ. */
  /** @param {State} s @param {Counters} c */
  function showDelta(s, c) {
    const d = c.max_delta ?? null;
    const tau = (s.job?.spec ?? s.spec)?.training?.tolerance ?? 0;
    setText(delta, fmt(d));
    setAttr(delta, "data-value", d === null ? "" : String(d));
    setText(tolerance, tau > 0 ? `τ = ${fmt(tau)}` : "τ = 0: off");
    setAttr(tolerance, "data-level", tau > 0 && d !== null && tau >= d ? "warn" : "");
    const good = sensibleTolerance(d);
    setAttr(boxOf(delta), "title", "The largest change |ΔW| = α |∂ℓ/∂w| of any weight in the last " +
      `update. Training stops (converged) once every |ΔW| < τ${tau > 0 ? ` = ${fmt(tau)}` : "; τ = 0 never stops early"}.` +
      (good === null ? "" : ` A sensible τ is about a thousandth of the early updates: ~${fmt(good)} here.`));
  }

  return {
    update(s) {
      const now = activity(s); // the one answer to "what is happening", as the header shows it
      const playing = now.playing;
      setAttr(play, "data-action", playing ? "pause" : "play");
      setAttr(play, "aria-label", playing ? "Pause" : "Play");
      const glyph = /** @type {HTMLElement} */ (play.querySelector(".glyph"));
      if (glyph.dataset.icon !== (playing ? "pause" : "play")) {
        glyph.dataset.icon = playing ? "pause" : "play";
        glyph.innerHTML = icon(glyph.dataset.icon);
      }
      const ended = Boolean(s.job && ENDED.includes(s.job.status));
      const invalid = Object.keys(s.specErrors ?? {}).length > 0;
      const mine = canTrain(s); // a preview (training makes a job) or the page's own job
      const replaying = s.replay !== null; // past iterations replay on anybody's job
      // ▶ on the reader's ended job runs it again from its initial weights (controller's again)
      play.disabled = replaying && s.mode === "explain" ? false : invalid || !mine;
      for (const b of [stepPhase, stepIteration, stepEpoch]) {
        b.disabled = s.busy || (replaying ? false : invalid || !mine || ended);
      }
      reset.disabled = !owns(s) || s.busy;
      train.disabled = !mine;
      forkButton.hidden = !s.job || mine;
      forkButton.disabled = s.busy;
      deleteButton.hidden = !owns(s);
      owner.dataset.owner = !s.job ? "preview" : mine ? "mine" : "theirs";
      setText(ownerText, !s.job ? "Preview" : mine ? "Your job" : "Watching · read-only");
      setAttr(ownerText, "title", !s.job ? "Nothing is stored yet: ▶ or a step starts a job from this setup"
        : mine ? "This browser created this job: you control it"
        : "Someone else's job: watch or replay it, or fork it to train your own copy");
      stepPhase.hidden = s.mode !== "explain";
      modes.forEach((m) => (m.checked = m.value === s.mode));
      anim.hidden = s.mode !== "explain";
      animOut.hidden = s.mode !== "explain";
      train.hidden = s.mode !== "train";
      setText(speedLabel, s.mode === "explain" ? "Animation" : "Speed");
      anim.value = String(Math.round(Math.log2(s.animSpeed ?? 1)));
      setText(animOut, `${s.animSpeed}×`);
      const label = TRAIN_SPEEDS.find(([, v]) => v === s.trainSpeed)?.[0] ?? "max";
      if (train.value !== label) train.value = label;

      setText(status, now.label);
      setAttr(status, "data-activity", now.key);
      setAttr(boxOf(status), "title", now.title);

      const c = shownCounters(s); // a replayed iteration's, else the job's newest
      setText(epoch, count(c.epoch));
      setText(iteration, count(c.iteration));
      const shown = lossRevealed(s) ? c.loss ?? null : null; // ℓ comes with the loss phase
      setText(loss, lossRevealed(s) ? fmt(shown) : "…");
      setAttr(loss, "data-value", shown === null ? "" : String(shown));
      setText(phase, s.phase);
      setAttr(phase, "data-step", String(/** @type {readonly string[]} */ (PHASES).indexOf(s.phase) + 1));
      showMetrics(s);
      showDelta(s, c);
    },
  };
}

/**
 * The read-out box around a read-out's value (its <dd>).
 * @param {HTMLElement} dd
 * @returns {HTMLElement}
 */
function boxOf(dd) {
  return /** @type {HTMLElement} */ (dd.parentElement);
}

/**
 * A tool button with its icon and, when given, its text.
 * @param {HTMLElement} parent
 * @param {string} action
 * @param {string} label
 * @param {string | null} text
 * @param {string} [extra]  more classes
 * @returns {HTMLButtonElement}
 */
function button(parent, action, label, text, extra = "") {
  const b = html("button", { type: "button", class: `tool ${extra}`.trim(), "data-action": action,
    "aria-label": label, title: label }, parent);
  const glyph = html("span", { class: "glyph", "aria-hidden": "true" }, b);
  glyph.innerHTML = icon(action);
  glyph.dataset.icon = action;
  if (text) html("span", { class: "tool-text" }, b, text);
  return b;
}

/** @param {string} name @returns {string} */
function icon(name) {
  return `<svg viewBox="0 0 24 24" width="18" height="18">${ICONS[name]}</svg>`;
}

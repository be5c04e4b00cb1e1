// The routine player: walks the step plan the build embedded in the page (SPEC 4.2).
// Time comes from timestamps (endAt - Date.now()), never from counting ticks, so a hidden
// tab or a phone that slept lands on the right step; the state is saved at every step.
(() => {
  "use strict";
  const root = document.querySelector("[data-player]");
  if (!root) return;
  const $ = (selector) => root.querySelector(selector);
  const plans = JSON.parse($("[data-plans]").textContent);
  const words = JSON.parse($("[data-strings]").textContent);
  const say = (key, values = {}) => words[key].replace(/\{(\w+)\}/g, (_, name) => values[name]);
  const items = [...root.querySelectorAll("[data-item]")];
  const home = new URL(root.dataset.home, location.href).pathname;
  const stateKey = `guide:player:${location.pathname}`;
  const endKey = `guide:player:end:${home}`;
  const speechKey = `guide:player:speech:${home}`;
  const stale = 60 * 60 * 1000; // a running session left for an hour is over, not to be finished for the reader
  const historyKey = `guide:history:${home}`;
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

  const read = (key) => {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch {
      return null;
    }
  };
  const write = (key, value) => {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // storage full or refused: the session still runs, it just cannot resume
    }
  };

  let state = null; // {end, index, endAt, left, paused, started, savedAt, sets, length}
  let steps = plans.low;

  // ---- sound, speech, vibration, wake lock: each does nothing where the browser lacks it
  let audio = null;
  const tone = (frequency, at, length) => {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    const start = audio.currentTime + at;
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.3, start + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + length + 0.02);
  };
  const sounds = {
    beep: [[880, 0, 0.12]],
    work: [[988, 0, 0.15], [1319, 0.16, 0.3]],
    rest: [[659, 0, 0.2], [440, 0.22, 0.35]],
    change: [[587, 0, 0.15], [784, 0.17, 0.2]],
    end: [[523, 0, 0.18], [659, 0.2, 0.18], [784, 0.4, 0.18], [1047, 0.6, 0.5]],
  };
  const play = (name) => {
    if (!audio) return;
    audio.resume().then(() => sounds[name].forEach(([frequency, at, length]) => tone(frequency, at, length)));
  };
  const speak = (text) => {
    if (!read(speechKey) || !("speechSynthesis" in window)) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = document.documentElement.lang;
    speechSynthesis.cancel();
    speechSynthesis.speak(utterance);
  };
  const buzz = (pattern) => navigator.vibrate?.(pattern);
  let wakeLock = null;
  const keepAwake = async () => {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible" || !running()) return;
    try {
      wakeLock = await navigator.wakeLock.request("screen");
    } catch {
      wakeLock = null; // refused (low battery, no permission): the session goes on
    }
  };
  const letSleep = () => {
    wakeLock?.release();
    wakeLock = null;
  };

  // ---- the session
  const running = () => state !== null && !state.paused && steps[state.index].phase !== "done";
  const timed = (step) => step.seconds !== null && step.phase !== "done";
  const save = () => write(stateKey, { ...state, savedAt: Date.now() });
  const title = (item) => items[item].querySelector(".player__name").textContent;

  // A set counts as done once its last step of work ends by time or by Done (Skip passes it by), once
  // however often it is gone through again; an exercise counts as skipped while any of its sets is not done.
  const setOf = (step) => `${step.item}:${step.set}`;
  const finishStep = (index) => {
    const step = steps[index];
    const following = steps[index + 1];
    const lastOfSet = following.item !== step.item || following.set !== step.set || following.phase !== "work";
    if (step.phase === "work" && lastOfSet && step.side !== "left" && !state.sets.includes(setOf(step))) {
      state.sets.push(setOf(step));
    }
  };

  // Enter step `index`, whose time starts at `from` (a timestamp); steps whose time has already
  // run out by now are passed through, so a phone that slept lands where the session really is.
  const enter = (index, from, live = true) => {
    let at = from;
    while (timed(steps[index]) && at + steps[index].seconds * 1000 <= Date.now()) {
      at += steps[index].seconds * 1000;
      finishStep(index);
      index += 1;
      live = false;
    }
    state.index = index;
    const step = steps[index];
    state.endAt = timed(step) ? at + step.seconds * 1000 : null;
    state.left = null;
    if (step.phase === "done") finish(at);
    else save();
    show();
    announce(step, live);
  };

  // `at`: when the last step ended, which a session caught up after a sleep reached before now.
  const finish = (at) => {
    const planned = [...new Set(steps.filter((step) => step.phase === "work").map(setOf))];
    const skipped = [...new Set(planned.filter((key) => !state.sets.includes(key)).map((key) => Number(key.split(":")[0])))];
    const taken = Math.round((at - state.started) / 1000);
    const session = {
      date: new Date(at).toISOString(),
      routine: root.dataset.routine,
      title: root.dataset.title,
      seconds: taken,
      sets: state.sets.length,
      skipped: skipped.map(title),
    };
    write(historyKey, [...(read(historyKey) || []), session]);
    write(stateKey, null);
    letSleep();
    play("end");
    buzz([200, 100, 200, 100, 400]);
    let summary = say("summary", { minutes: Math.max(1, Math.round(taken / 60)), sets: session.sets });
    if (skipped.length) summary += ` ${say("skipped", { titles: session.skipped.join(", ") })}`;
    $("[data-summary]").textContent = summary;
    $("[data-finished]").hidden = false;
  };

  // The current step's time has run out: on to the next, from when it ended.
  const runOut = (live) => {
    finishStep(state.index);
    enter(state.index + 1, state.endAt, live);
  };

  const remaining = () => {
    const step = steps[state.index];
    if (!timed(step)) return null;
    const left = state.paused ? state.left : state.endAt - Date.now();
    return Math.max(0, Math.ceil(left / 1000));
  };

  const where = (step) => {
    const parts = [];
    if (step.sets) parts.push(say("set", step));
    if (step.side) parts.push(say(step.side));
    if (step.phase === "work" && step.rep) parts.push(say("rep", step));
    else if (step.phase === "work" && step.reps) parts.push(say("reps", step));
    return parts.join(" · ");
  };

  const upcoming = (index) => {
    const step = steps[index];
    const next = steps.slice(index + 1).find((later) => later.item !== step.item || later.phase === "done");
    if (!next || next.phase === "done") return step.phase === "done" ? "" : say("last");
    return say("coming", { title: title(next.item) });
  };

  let lastShown = null;
  const show = () => {
    const step = steps[state ? state.index : 0];
    const left = state ? remaining() : step.seconds;
    const data = root.dataset;
    data.phase = step.phase;
    data.exercise = step.exercise;
    data.set = String(step.set);
    data.sets = String(step.sets);
    data.side = step.side;
    data.rep = String(step.rep);
    data.remaining = left === null ? "" : String(left);
    data.paused = String(!state || state.paused);
    data.started = String(Boolean(state));
    $("[data-digits]").textContent = step.phase === "done" ? "" : String(left === null ? step.reps : left);
    $("[data-unit]").textContent = words[left === null ? "reps_unit" : "seconds_unit"];
    // The ring moves smoothly, or a second at a time for readers who ask for less motion.
    const smooth = state && !state.paused && !reducedMotion.matches;
    const exact = left === null ? 0 : smooth ? (state.endAt - Date.now()) / 1000 : left;
    const fraction = left === null || !step.seconds ? 1 : Math.min(1, exact / step.seconds);
    $("[data-ring]").style.strokeDashoffset = String(100 - 100 * fraction);
    if (lastShown === step) return;
    lastShown = step;
    $("[data-label]").textContent = words[step.phase];
    $("[data-where]").textContent = where(step);
    $("[data-next]").textContent = upcoming(state ? state.index : 0);
    items.forEach((item, number) => (item.hidden = number !== step.item || step.phase === "done"));
    root.querySelector('[data-action="pause"]').textContent = words[state && state.paused ? "resume" : "pause"];
    for (const name of ["minus", "plus"]) root.querySelector(`[data-action="${name}"]`).disabled = !timed(step);
    root.querySelector('[data-action="back"]').disabled = !state || state.index === 0;
  };

  const announce = (step, live) => {
    const named = step.phase === "done" ? "" : title(step.item);
    const text = [words[step.phase], named, where(step)].filter(Boolean).join(". ");
    $("[data-announce]").textContent = text;
    if (!live || step.phase === "done") return; // the end has its own sound, in finish()
    play(step.phase === "work" ? "work" : step.phase === "rest" ? "rest" : "change");
    buzz(step.phase === "work" ? 200 : [100, 80, 100]);
    speak(text);
  };

  // ---- the clock: a quick poll that reads the time, so missed ticks cost nothing
  let lastSecond = null;
  const tick = () => {
    if (!running()) return;
    const step = steps[state.index];
    if (timed(step) && Date.now() >= state.endAt) {
      runOut(true);
      return;
    }
    const left = remaining();
    if (left !== null && left <= 3 && left >= 1 && left !== lastSecond) {
      play("beep");
      if (left === 3 && step.seconds >= 10) $("[data-announce]").textContent = say("seconds_left", { seconds: 3 });
    }
    lastSecond = left;
    show();
  };
  setInterval(tick, 100);

  // ---- what the reader does
  const actions = {
    start() {
      const chosen = root.querySelector('input[name="end"]:checked');
      if (chosen) write(endKey, chosen.value); // a routine without ranges leaves the reader's choice alone
      const end = chosen && plans[chosen.value] ? chosen.value : "low";
      steps = plans[end];
      state = { end, index: 0, endAt: null, left: null, paused: false, started: Date.now(), sets: [], length: steps.length };
      $("[data-intro]").hidden = true;
      $("[data-stage]").focus();
      enter(0, Date.now());
      keepAwake();
    },
    pause() {
      if (!state || steps[state.index].phase === "done") return;
      if (state.paused) {
        state.paused = false;
        if (state.left !== null) state.endAt = Date.now() + state.left;
        state.left = null;
        keepAwake();
      } else {
        state.paused = true;
        state.left = state.endAt === null ? null : state.endAt - Date.now();
        letSleep();
      }
      lastShown = null;
      save();
      show();
    },
    back() {
      if (!state || state.index === 0 || steps[state.index].phase === "done") return;
      state.paused = false;
      enter(state.index - 1, Date.now());
    },
    skip() {
      if (!state || steps[state.index].phase === "done") return;
      const step = steps[state.index];
      let next = state.index + 1; // past the other repetitions of this side too: one press skips the held reps
      while (step.rep && steps[next].rep && steps[next].item === step.item && steps[next].set === step.set && steps[next].side === step.side) next += 1;
      state.paused = false;
      enter(next, Date.now());
    },
    done() {
      if (!state || steps[state.index].phase === "done") return;
      finishStep(state.index);
      state.paused = false;
      enter(state.index + 1, Date.now());
    },
    minus() {
      shift(-10000);
    },
    plus() {
      shift(10000);
    },
  };
  const shift = (milliseconds) => {
    if (!state || !timed(steps[state.index])) return;
    if (state.paused) state.left = Math.max(1000, state.left + milliseconds);
    else state.endAt = Math.max(Date.now() + 1000, state.endAt + milliseconds);
    save();
    show();
  };

  // The browser lets sound start only from a tap or a key: the first one makes the audio context, every one resumes it.
  const unlock = () => {
    audio ??= "AudioContext" in window ? new AudioContext() : null;
    audio?.resume();
  };
  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (button) {
      unlock();
      actions[button.dataset.action]();
    }
  });
  const keys = { " ": "pause", ArrowLeft: "back", ArrowRight: "skip", Enter: "done" };
  document.addEventListener("keydown", (event) => {
    const action = keys[event.key];
    if (!action || !state || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest("a, input, select, textarea")) return; // their own keys win
    if (event.target.closest("button") && (event.key === " " || event.key === "Enter")) return; // a button's own press
    event.preventDefault();
    unlock();
    actions[action]();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      keepAwake();
      tick();
    }
  });

  const speech = $("[data-speech]");
  speech.checked = Boolean(read(speechKey));
  speech.addEventListener("change", () => write(speechKey, speech.checked));
  const remembered = read(endKey);
  if (remembered === "high" || remembered === "low") {
    const choice = root.querySelector(`input[name="end"][value="${remembered}"]`);
    if (choice) choice.checked = true;
  }

  // ---- a reload resumes the saved session, caught up to now
  const saved = read(stateKey);
  const abandoned = saved && !saved.paused && Date.now() - saved.savedAt > stale;
  if (abandoned) write(stateKey, null);
  if (saved && !abandoned && plans[saved.end] && plans[saved.end].length === saved.length && Array.isArray(saved.sets) && saved.index < saved.length - 1) {
    steps = plans[saved.end];
    state = saved;
    $("[data-intro]").hidden = true;
    $("[data-resumed]").hidden = false;
    if (!state.paused && state.endAt !== null && Date.now() >= state.endAt) {
      runOut(false);
    } else {
      show();
      announce(steps[state.index], false);
    }
    keepAwake();
  } else {
    show();
  }
})();

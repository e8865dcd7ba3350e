// The studio page: follows the preview's event stream, swaps in each good render, overlays errors.
"use strict";
const token = document.querySelector('meta[name="digest-token"]').content;
const frame = document.getElementById("frame");
const plain = document.getElementById("plain");
const stage = document.getElementById("stage");
const picker = document.getElementById("issue");
let status = JSON.parse(document.getElementById("initial").textContent);
let shownVersion = status.errors.length ? -1 : status.version; // the version the frame holds
let view = sessionStorage.getItem("digest-view") || "desktop";
let issue = "draft";

const base = () => (issue === "draft" ? "/draft/" : `/issues/${issue}/`);

function text(selector, value) { document.querySelector(selector).textContent = value || ""; }

function list(ul, lines) {
  ul.replaceChildren(...lines.map((line) => {
    const li = document.createElement("li");
    const code = document.createElement("code");
    code.textContent = line;
    li.append(code);
    return li;
  }));
}

function show(s) {
  text("#state", s.building ? "building…" : "");
  if (s.inbox) {
    text("#inbox .from", s.inbox.from);
    text("#inbox .subject", s.inbox.subject);
    text("#inbox .preheader", s.inbox.preheader);
    document.title = s.inbox.subject;
  }
  const warnings = document.getElementById("warnings");
  warnings.hidden = !s.warnings.length;
  text("#warnings .count", String(s.warnings.length));
  list(warnings.querySelector("ul"), s.warnings);
  const overlay = document.getElementById("overlay");
  overlay.hidden = !s.errors.length; // the frame stays as it was: the last good render underneath
  list(overlay.querySelector("ul"), s.errors);
  const note = document.querySelector("#note textarea");
  if (document.activeElement !== note) note.value = s.note || ""; // never under the editor's typing
  const message = document.getElementById("message");
  message.hidden = !s.message;
  message.textContent = s.message;
  const known = new Set([...picker.options].map((o) => o.value));
  for (const week of s.issues) {
    if (!known.has(week)) picker.append(new Option(`Issue ${week}`, week));
  }
}

function load() {
  stage.className = `stage ${view}`;
  for (const button of document.querySelectorAll("#views button")) {
    button.setAttribute("aria-pressed", String(button.dataset.view === view));
  }
  const textual = view === "text" || view === "json";
  frame.hidden = textual;
  plain.hidden = !textual;
  if (textual) {
    fetch(base() + (view === "text" ? "digest.txt" : "digest.json"), { cache: "no-store" })
      .then((r) => r.text()).then((body) => { plain.textContent = body; });
  } else {
    // Keep the editor's place in a long issue across reloads.
    const y = frame.contentWindow ? frame.contentWindow.scrollY : 0;
    frame.dataset.scroll = String(y || 0);
    frame.src = `${base()}digest.html?v=${status.version}`;
  }
}

frame.addEventListener("load", () => {
  const w = frame.contentWindow;
  if (w && w.studioDark) w.studioDark(view === "dark");
  if (w) w.scrollTo(0, Number(frame.dataset.scroll || 0));
  frame.dataset.version = String(shownVersion);
});

async function refresh(event) {
  // The event carries the status; the controls' answers come without one and ask for it.
  const s = event && event.data ? JSON.parse(event.data) : await (await fetch("/status.json", { cache: "no-store" })).json();
  status = s;
  show(s);
  if (!s.building && !s.errors.length && s.version !== shownVersion) {
    shownVersion = s.version;
    if (issue === "draft") load();
  }
}

// Called by the controls inside the frame (frame.js): one edit, then the new render.
window.studioEdit = async (request) => {
  const answer = await fetch("/edit", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Digest-Token": token },
    body: JSON.stringify(request),
  });
  const body = await answer.json();
  if (!answer.ok) return toast(body.error || `the edit failed (${answer.status})`);
  await refresh();
};

function toast(message) {
  const note = document.createElement("div");
  note.className = "toast";
  note.setAttribute("role", "status");
  note.textContent = message;
  document.body.append(note);
  setTimeout(() => note.remove(), 6000);
}

for (const button of document.querySelectorAll("#views button")) {
  button.addEventListener("click", () => {
    view = button.dataset.view;
    sessionStorage.setItem("digest-view", view);
    load();
  });
}
picker.addEventListener("change", () => { issue = picker.value; load(); });
document.querySelector("#note .save-note").addEventListener("click", () => {
  window.studioEdit({ kind: "note", text: document.querySelector("#note textarea").value });
});

show(status);
load();
new EventSource("/events").onmessage = refresh;

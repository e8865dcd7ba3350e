// Inside the draft's frame only: small controls on each trend and bullet, and the dark view.
// The preview renders templates with `preview` true, so the default partials mark trends
// (data-trend) and bullets (data-bullet) with their keys; templates that do not are matched
// by their text against digest.json instead.
"use strict";
(async function () {
  const edit = (request) => window.parent.studioEdit && window.parent.studioEdit(request);

  function button(label, title, request) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.title = title;
    b.dataset.action = request.action;
    b.addEventListener("click", (event) => { event.preventDefault(); edit(request); });
    return b;
  }

  function bar(kind, key, actions) {
    const span = document.createElement("span");
    span.className = "digest-controls";
    span.dataset.kind = kind;
    for (const [label, title, action] of actions) span.append(button(label, title, { kind, key, action }));
    return span;
  }

  function editor(element, kind, key, action, current) {
    const box = document.createElement("span");
    box.className = "digest-editor";
    const area = document.createElement("textarea");
    area.value = current;
    area.rows = kind === "bullet" ? 3 : 1;
    const save = document.createElement("button");
    save.type = "button";
    save.textContent = "Save";
    save.dataset.action = "save";
    save.addEventListener("click", () => edit({ kind, key, action, text: area.value }));
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", () => box.remove());
    box.append(area, save, cancel);
    element.append(box);
    area.focus();
  }

  function ownText(element) {
    // The text before the citations and controls: what the editor rewrites.
    const copy = element.cloneNode(true);
    copy.querySelectorAll(".cite, .digest-controls, .badge, .digest-editor").forEach((e) => e.remove());
    return copy.textContent.trim();
  }

  async function markByText(model) {
    const squash = (s) => s.replace(/\s+/g, " ").trim();
    const headings = [...document.querySelectorAll("h1, h2, h3")];
    const items = [...document.querySelectorAll("li, p")];
    for (const trend of model.trends || []) {
      const h = headings.find((e) => !e.dataset.trend && squash(e.textContent).startsWith(trend.name));
      if (h) h.dataset.trend = trend.key;
      for (const bullet of trend.bullets) {
        const li = items.find((e) => !e.dataset.bullet && squash(e.textContent).startsWith(squash(bullet.text)));
        if (li) li.dataset.bullet = bullet.key;
      }
    }
  }

  const model = await (await fetch("/draft/digest.json", { cache: "no-store" })).json();
  if (!document.querySelector("[data-trend], [data-bullet]")) await markByText(model);
  // What the editor already changed: outlined, and a pinned trend offers "unpin".
  const edited = new Map();
  for (const trend of model.trends || []) {
    edited.set(trend.key, trend.edited);
    for (const bullet of trend.bullets) edited.set(bullet.key, bullet.edited);
  }
  for (const h of document.querySelectorAll("[data-trend]")) {
    const key = h.dataset.trend;
    const marks = edited.get(key) || [];
    const pin = marks.includes("pinned") ? ["unpin", "Let it take its place again", "unpin"] : ["pin", "Pin on top", "pin"];
    const controls = bar("trend", key, [["▲", "Move up", "up"], ["▼", "Move down", "down"], pin,
      ["drop", "Drop this trend", "drop"]]);
    if (marks.length) h.classList.add("digest-edited");
    controls.append(button("undo", "Undo the editor's changes to this trend", { kind: "trend", key, action: "reset" }));
    const rename = document.createElement("button");
    rename.type = "button";
    rename.textContent = "rename";
    rename.title = "Rename this trend";
    rename.dataset.action = "rename";
    rename.addEventListener("click", () => editor(h, "trend", key, "rename", ownText(h)));
    controls.append(rename);
    h.append(controls);
  }
  for (const li of document.querySelectorAll("[data-bullet]")) {
    const key = li.dataset.bullet;
    if ((edited.get(key) || []).length) li.classList.add("digest-edited");
    const controls = bar("bullet", key, [["▲", "Move up", "up"], ["▼", "Move down", "down"], ["drop", "Drop this bullet", "drop"]]);
    const rewrite = document.createElement("button");
    rewrite.type = "button";
    rewrite.textContent = "edit";
    rewrite.title = "Rewrite this bullet";
    rewrite.dataset.action = "text";
    rewrite.addEventListener("click", () => editor(li, "bullet", key, "text", ownText(li)));
    controls.append(rewrite, button("undo", "Undo the editor's changes to this bullet", { kind: "bullet", key, action: "reset" }));
    li.append(controls);
  }
  document.documentElement.dataset.controls = "ready";
})();

// The dark view: the template's own dark styles when it has them, else the colour inversion
// that Gmail's and Outlook's apps apply to an email that does not declare any.
window.studioDark = function (on) {
  let style = document.getElementById("digest-dark");
  if (!on) { if (style) style.remove(); return; }
  if (style) return;
  const rules = [];
  for (const sheet of document.styleSheets) {
    let list;
    try { list = sheet.cssRules; } catch (e) { continue; }
    for (const rule of list) {
      if (rule.media && /prefers-color-scheme:\s*dark/.test(rule.media.mediaText)) {
        for (const inner of rule.cssRules) rules.push(inner.cssText);
      }
    }
  }
  style = document.createElement("style");
  style.id = "digest-dark";
  style.textContent = rules.length ? `:root { color-scheme: dark; } ${rules.join("\n")}`
    : "html { filter: invert(1) hue-rotate(180deg); background: #fff; } img, picture, video { filter: invert(1) hue-rotate(180deg); }";
  document.head.append(style);
  document.documentElement.dataset.dark = rules.length ? "styles" : "inverted";
};

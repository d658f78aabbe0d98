"use strict";
// The page of `tarjama serve`: it speaks the server's own API (/v1) and LibreTranslate's
// /translate_file, with no library and nothing fetched from elsewhere.
(function () {
  const $ = (id) => document.getElementById(id);
  const source = $("source"), result = $("result"), status = $("status");
  const keyInput = $("api-key");
  keyInput.value = localStorage.getItem("tarjama-api-key") || "";
  keyInput.addEventListener("change", () => localStorage.setItem("tarjama-api-key", keyInput.value));

  function headers() {
    const h = { "Content-Type": "application/json" };
    if (keyInput.value) h["X-API-Key"] = keyInput.value;
    return h;
  }

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("error", !!isError);
  }

  async function call(path, body) {
    const response = await fetch(path, { method: "POST", headers: headers(), body: JSON.stringify(body) });
    const data = await response.json().catch(() => ({ error: response.statusText }));
    if (!response.ok) throw new Error(data.error || response.statusText);
    return data;
  }

  function busy(on) {
    for (const id of ["translate", "summarize"]) $(id).disabled = on;
  }

  function flagBadges(flags) {
    return flags.map((flag) => {
      const badge = document.createElement("span");
      badge.className = "flag";
      badge.textContent = flag.replace(/_/g, " ");
      badge.title = "integrity check: " + flag;
      return badge;
    });
  }

  function show(translation, text) {
    result.replaceChildren();
    let paragraph = -1;
    for (const s of translation.sentences) {
      const row = document.createElement("div");
      row.className = "pair" + (s.paragraph !== paragraph && paragraph !== -1 ? " paragraph-start" : "");
      paragraph = s.paragraph;
      row.setAttribute("role", "listitem");
      row.tabIndex = 0;
      const ar = document.createElement("div");
      ar.className = "ar"; ar.lang = "ar"; ar.dir = "rtl";
      ar.textContent = text.slice(s.start, s.end);
      const en = document.createElement("div");
      en.className = "en"; en.lang = "en";
      const english = document.createElement("span");
      english.className = "text";
      english.textContent = s.translation;
      en.append(english, ...flagBadges(s.flags));
      row.append(ar, en);
      result.append(row);
    }
    $("result-title").hidden = translation.sentences.length === 0;
    $("signature").textContent = translation.signature;
  }

  async function translate() {
    const text = source.value;
    if (!text.trim()) { say("Type or paste Arabic text first.", true); source.focus(); return; }
    busy(true); say("Translating…");
    try {
      const data = await call("/v1/translate", { texts: [text] });
      show(data.translations[0], text);
      const flagged = data.translations[0].sentences.filter((s) => s.flags.length).length;
      say(`${data.translations[0].sentences.length} sentences translated` + (flagged ? `, ${flagged} flagged` : "") + ".");
    } catch (err) { say(err.message, true); } finally { busy(false); }
  }

  async function summarize() {
    const text = source.value;
    if (!text.trim()) { say("Type or paste Arabic text first.", true); source.focus(); return; }
    busy(true); say("Summarizing…");
    try {
      const data = await call("/v1/summarize", { text: text });
      $("summary-box").hidden = false;
      $("summary-text").textContent = data.summary;
      const flags = (data.flags || []).map((f) => `${f.kind} “${f.text}”`);
      $("summary-flags").textContent = flags.length ? "Not in the article: " + flags.join(", ") : "";
      say("Summary ready.");
    } catch (err) { say(err.message, true); } finally { busy(false); }
  }

  async function upload(file) {
    const form = new FormData();
    form.append("file", file); form.append("source", "ar"); form.append("target", "en");
    if (keyInput.value) form.append("api_key", keyInput.value);
    say(`Translating ${file.name}…`);
    const download = $("download");
    download.hidden = true;
    try {
      const response = await fetch("/translate_file", { method: "POST", body: form });
      const data = await response.json().catch(() => ({ error: response.statusText }));
      if (!response.ok) throw new Error(data.error || response.statusText);
      const link = document.createElement("a");
      link.href = data.translatedFileUrl; link.download = ""; link.id = "download-link";
      link.textContent = "Download the translated " + file.name;
      download.replaceChildren(link); download.hidden = false;
      say(`${file.name} translated.`);
    } catch (err) { say(err.message, true); }
  }

  $("translate").addEventListener("click", translate);
  $("summarize").addEventListener("click", summarize);
  $("document").addEventListener("change", (e) => { if (e.target.files[0]) upload(e.target.files[0]); });
  source.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); translate(); }
  });
  source.addEventListener("dragover", (e) => { e.preventDefault(); source.classList.add("dragging"); });
  source.addEventListener("dragleave", () => source.classList.remove("dragging"));
  source.addEventListener("drop", async (e) => {
    e.preventDefault(); source.classList.remove("dragging");
    const file = e.dataTransfer.files[0];
    if (file) { source.value = await file.text(); translate(); }
  });
})();

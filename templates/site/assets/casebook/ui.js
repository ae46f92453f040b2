// casebook page behaviour: copy buttons on 话术 cards, and facet filters on index pages.
function copyText(text) {
  // navigator.clipboard needs a secure context; an intranet site on plain http has none.
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement("textarea");
  area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
  document.body.appendChild(area); area.select();
  try { document.execCommand("copy"); } finally { area.remove(); }
  return Promise.resolve();
}

document.querySelectorAll(".cb-copy").forEach((button) => {
  button.addEventListener("click", async () => {
    await copyText(button.dataset.copy);
    const label = button.textContent;
    button.textContent = "已复制"; button.classList.add("cb-copied");
    setTimeout(() => { button.textContent = label; button.classList.remove("cb-copied"); }, 1500);
  });
});

// filters start open where there is room, folded on a phone
const filterBox = document.querySelector(".cb-filter-box");
if (filterBox && window.matchMedia("(min-width: 60em)").matches) filterBox.open = true;

const form = document.querySelector(".cb-facets:not([data-entries])");  // a cut index: paging.js
if (form) {
  const list = document.querySelector(".cb-list");
  const count = document.querySelector("[data-count]");
  const entries = [...list.querySelectorAll(".cb-entry")];
  const apply = () => {
    const wanted = [...form.querySelectorAll("select[data-facet]")].filter((s) => s.value)
      .map((s) => [s.dataset.facet, s.value]);
    let shown = 0;
    for (const li of entries) {
      const ok = wanted.every(([facet, value]) => (li.dataset[facet.replace(/-(.)/g, (_, c) => c.toUpperCase())] || "").split("|").includes(value));
      li.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = shown;
    const sort = form.querySelector("select[data-sort]").value;
    const sorted = [...entries].sort((a, b) => sort === "title" ? a.dataset.title.localeCompare(b.dataset.title, "zh-CN") :
      sort === "updated-asc" ? a.dataset.updated.localeCompare(b.dataset.updated) : b.dataset.updated.localeCompare(a.dataset.updated));
    sorted.forEach((li) => list.appendChild(li));
  };
  form.addEventListener("change", apply);
  form.addEventListener("reset", () => setTimeout(apply, 0));
}

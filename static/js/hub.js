/* Jejaring KIM: keyboard shortcuts. Everything works without this file. */
(function () {
  "use strict";
  var current = -1;

  function entries() { return Array.prototype.slice.call(document.querySelectorAll("li.entry")); }

  function select(index) {
    var list = entries();
    if (!list.length) { return; }
    index = Math.max(0, Math.min(index, list.length - 1));
    if (list[current]) { list[current].classList.remove("current"); }
    current = index;
    list[current].classList.add("current");
    list[current].scrollIntoView({ block: "nearest" });
  }

  function scope() {
    var list = entries();
    return list[current] || document.querySelector("article.item") || null;
  }

  function press(key) {
    var where = scope();
    var button = where && where.querySelector('[data-key="' + key + '"]');
    if (button) { button.click(); }
  }

  function toggleHelp() {
    var help = document.getElementById("keys-help");
    if (help) { help.hidden = !help.hidden; }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      if (event.key === "Escape") { target.blur(); }
      return;
    }
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "o": case "Enter":
        var where = scope();
        var link = where && where.querySelector(".entry-title a");
        if (link) { link.click(); } else { return; }
        break;
      case "s": press("s"); break;
      case "m": press("m"); break;
      case "/":
        var search = document.getElementById("q");
        if (search) { search.focus(); search.select(); } else { return; }
        break;
      case "?": toggleHelp(); break;
      case "Escape":
        var help = document.getElementById("keys-help");
        if (help && !help.hidden) { help.hidden = true; } else { return; }
        break;
      default: return;
    }
    event.preventDefault();
  });

  // Uploads: refuse before sending when the images exceed what the server accepts, so nothing
  // typed is lost to a "request too large" page.
  document.addEventListener("submit", function (event) {
    var form = event.target, limit = form.getAttribute && Number(form.getAttribute("data-max-bytes"));
    if (!limit) { return; }
    var total = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
    });
    if (total > limit - 65536) {
      event.preventDefault();
      window.alert(form.getAttribute("data-too-big"));
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target && event.target.id === "keys-help-close") { toggleHelp(); }
    var copy = event.target && event.target.getAttribute && event.target.getAttribute("data-copy");
    if (copy) {  // "Salin": copy a ready-made text (the WhatsApp summary)
      var box = document.getElementById(copy);
      box.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(box.value); } else { document.execCommand("copy"); }
      event.target.textContent = event.target.getAttribute("data-copied") || event.target.textContent;
    }
    if (event.target && event.target.hasAttribute && event.target.hasAttribute("data-print")) { window.print(); }
  });

  /* The recipient picker: a filter box narrows the KIMs (by name or kecamatan); ticking one
     chooses "Chosen KIMs"; the KIM shared from is not offered as a recipient. */
  function picker(box) {
    var form = box.closest("form");
    var filter = box.querySelector(".kim-filter");
    var from = form && form.querySelector("[data-from-kim]");
    function apply() {
      var q = filter.value.trim().toLowerCase();
      var self = from ? from.value : null;
      Array.prototype.forEach.call(box.querySelectorAll(".kim-group"), function (group) {
        var inGroup = group.querySelector("legend").textContent.toLowerCase().indexOf(q) >= 0;
        var shown = 0;
        Array.prototype.forEach.call(group.querySelectorAll("label.check"), function (label) {
          var input = label.querySelector("input");
          var hide = input.value === self || !(inGroup || label.textContent.toLowerCase().indexOf(q) >= 0);
          if (input.value === self) { input.checked = false; }
          label.hidden = hide;
          if (!hide) { shown += 1; }
        });
        group.hidden = shown === 0;
      });
    }
    filter.hidden = false;
    filter.addEventListener("input", apply);
    filter.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); } });
    if (from) { from.addEventListener("change", apply); }
    box.addEventListener("change", function (event) {
      var radio = form && form.querySelector('input[name="target"][value="kims"]');
      if (event.target.name === "kims" && event.target.checked && radio) { radio.checked = true; }
    });
    apply();
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-kim-picker]"), picker);
})();

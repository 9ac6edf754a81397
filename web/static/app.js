// AAP Search: progressive enhancement only. Without this file every page works as plain
// links and a GET form; with it, the search page updates as you type or tick, keeping the
// URL shareable and the back button working, and the citation can be copied.
"use strict";
document.documentElement.classList.add("js");

(function () {
  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.history.pushState) return;
  var query = document.getElementById("q");
  var pending = null;
  var typingTimer = null;
  var heldTimer = null;
  var lastWasTyping = false;
  var phone = window.matchMedia("(max-width: 51.99em)");
  // While a word is still being typed ("vic" on the way to "victim"), a page with no results
  // waits this long for more letters before it is shown, so "No results" does not flash.
  var NO_RESULTS_WAIT = 1200;

  function formUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (key === "q" && !value.trim()) return;
      if (key === "sort" && value === "relevance") return;
      params.append(key, value);
    });
    var text = params.toString();
    return "/" + (text ? "?" + text : "");
  }

  function focusKey(el) {
    if (!el || !form.contains(el)) return null;
    if (el.type === "checkbox") return { name: el.name, value: el.value };
    return el.id ? { id: el.id } : null;
  }

  function restoreFocus(key) {
    if (!key) return false;
    var target = null;
    if (key.id) target = document.getElementById(key.id);
    else form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box.name === key.name && box.value === key.value) target = box;
    });
    if (target) target.focus();
    return Boolean(target);
  }

  function swap(doc, options) {
    var openState = {};
    form.querySelectorAll("details.facet").forEach(function (d) { openState[d.id] = d.open; });
    var focus = focusKey(document.activeElement);
    ["filters", "results"].forEach(function (id) {
      var fresh = doc.getElementById(id);
      var old = document.getElementById(id);
      if (fresh && old) old.replaceWith(fresh);
    });
    form.querySelectorAll("details.facet").forEach(function (d) {
      if (d.id in openState) d.open = openState[d.id];
    });
    // Keep one live region so screen readers announce the new count.
    var count = document.getElementById("result-count");
    var freshQuery = doc.getElementById("q");
    if (options.fromHistory && freshQuery) query.value = freshQuery.value;
    document.title = doc.title;
    if (count) {
      var text = count.textContent;
      count.textContent = "";
      window.setTimeout(function () { count.textContent = text; }, 50);
    }
    enhanceFilters();
    if (!restoreFocus(focus) && options.focusResults) {
      var heading = document.getElementById("results-heading");
      heading.focus({ preventScroll: true });
      document.getElementById("results").scrollIntoView({ block: "start" });
    }
  }

  function navigate(url, options) {
    window.clearTimeout(heldTimer);
    if (pending) pending.abort();
    var controller = new AbortController();
    pending = controller;
    fetch(url, { signal: controller.signal, headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (!doc.getElementById("results")) throw new Error("not a search page");
        pending = null;
        var show = function () {
          if (options.history === "push") window.history.pushState({ search: true }, "", url);
          if (options.history === "replace") window.history.replaceState({ search: true }, "", url);
          shown = url;
          swap(doc, options);
        };
        if (options.typing && doc.querySelector(".no-results")) {
          heldTimer = window.setTimeout(show, NO_RESULTS_WAIT);
        } else {
          show();
        }
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        window.location.assign(url); // let the server's own page (an error, say) show
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(typingTimer);
    lastWasTyping = false;
    navigate(formUrl(), { history: "push", focusResults: event.submitter !== undefined && event.submitter !== null });
  });

  form.addEventListener("change", function (event) {
    if (event.target === query) return;
    lastWasTyping = false;
    navigate(formUrl(), { history: "push" });
  });

  query.addEventListener("input", function () {
    window.clearTimeout(typingTimer);
    window.clearTimeout(heldTimer);
    typingTimer = window.setTimeout(function () {
      var value = query.value.trim();
      if (value.length === 1) return;
      // One history entry per burst of typing, not one per letter.
      navigate(formUrl(), { history: lastWasTyping ? "replace" : "push", typing: true });
      lastWasTyping = true;
    }, 350);
  });

  form.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname !== "/" || url.hash) return;
    event.preventDefault();
    lastWasTyping = false;
    query.value = url.searchParams.get("q") || "";
    navigate(url.pathname + url.search, { history: "push", focusResults: true });
  });

  // A link to a place in the page ("Skip to filters") changes only the fragment: the results
  // on show are still the ones asked for, so nothing is fetched and the focus stays put.
  var shown = window.location.pathname + window.location.search;
  window.addEventListener("popstate", function () {
    var wanted = window.location.pathname + window.location.search;
    if (wanted === shown) return;
    navigate(wanted, { history: "none", fromHistory: true });
  });

  // On a phone the filters open over the results from the "Filters" link, and "Show N results"
  // goes back to them; each tick updates the results behind, and the count on that button.
  function setFiltersOpen(open) {
    document.documentElement.classList.toggle("filters-open", open);
    var toggle = form.querySelector(".to-filters");
    if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) document.getElementById("filters-heading").focus({ preventScroll: true });
    else if (toggle) toggle.focus({ preventScroll: true });
  }

  function enhanceFilters() {
    form.querySelectorAll("[data-close-filters]").forEach(function (button) { button.hidden = false; });
    var toggle = form.querySelector(".to-filters");
    if (toggle) {
      toggle.setAttribute("role", "button");
      toggle.setAttribute("aria-expanded", document.documentElement.classList.contains("filters-open") ? "true" : "false");
    }
  }

  form.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-filters]")) {
      setFiltersOpen(false);
      document.getElementById("results").scrollIntoView({ block: "start" });
    } else if (event.target.closest(".to-filters") && phone.matches) {
      event.preventDefault();
      setFiltersOpen(true);
    }
  });
  form.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.documentElement.classList.contains("filters-open") &&
        !event.target.closest("[role=combobox]")) setFiltersOpen(false);
  });
  phone.addEventListener("change", function () { if (!phone.matches) setFiltersOpen(false); });
  enhanceFilters();

  window.history.replaceState({ search: true }, "", window.location.href);
})();

(function () {
  // "Copy citation": the text stays selectable without JavaScript.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      var done = function (message) { if (status) status.textContent = message; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done("Copied."); }, function () { selectText(source); done("Press Ctrl+C to copy."); });
      } else {
        selectText(source);
        done("Selected: press Ctrl+C to copy.");
      }
    });
  });

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
})();

(function () {
  // Suggestions as you type, as an ARIA 1.2 combobox: the box keeps focus, the arrows move
  // through the list (aria-activedescendant), Enter takes the one chosen and searches,
  // Escape closes the list. Without this file the box is a plain search field.
  var KIND_NAMES = { area: "Area", place: "Place", theme: "Theme", acronym: "Acronym", phrase: "Phrase" };
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    if (!window.fetch) return;
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var items = [];
    var active = -1;
    var timer = null;
    var pending = null;
    list.id = input.id + "-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function setOpen(open) {
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) setActive(-1);
    }

    function setActive(n) {
      var options = list.querySelectorAll("[role=option]");
      active = n;
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === n ? "true" : "false"); });
      if (n >= 0 && options[n]) {
        input.setAttribute("aria-activedescendant", options[n].id);
        options[n].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(suggestions) {
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (suggestion, i) {
        var option = document.createElement("li");
        var text = document.createElement("span");
        var kind = document.createElement("span");
        option.id = input.id + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        text.className = "suggestion-text";
        text.textContent = suggestion.text + (suggestion.detail ? " (" + suggestion.detail + ")" : "");
        kind.className = "suggestion-kind";
        kind.textContent = KIND_NAMES[suggestion.kind] || suggestion.kind;
        option.appendChild(text);
        option.appendChild(kind);
        list.appendChild(option);
      });
      setOpen(suggestions.length > 0);
      status.textContent = suggestions.length
        ? suggestions.length + (suggestions.length === 1 ? " suggestion" : " suggestions") + ": use the up and down arrows to choose."
        : "";
    }

    function fetchSuggestions() {
      var text = input.value;
      if (pending) pending.abort();
      if (!text.trim()) { render([]); return; }
      pending = new AbortController();
      fetch(input.getAttribute("data-suggest") + "?" + new URLSearchParams({ q: text }), { signal: pending.signal })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (body) { if (input.value === text && document.activeElement === input) render(body.suggestions); })
        .catch(function () {});
    }

    function choose(n) {
      var chosen = items[n];
      setOpen(false);
      status.textContent = "";
      if (chosen.filter && input.form) {
        // An Area, theme, kind or Part: tick its filter and search the rest of what was typed.
        input.value = chosen.filter.query;
        var box = null;
        input.form.querySelectorAll("input[name='" + chosen.filter.facet + "']").forEach(function (el) {
          if (el.value === chosen.filter.value) box = el;
        });
        if (!box) {
          box = document.createElement("input");
          box.type = "hidden";
          box.name = chosen.filter.facet;
          box.value = chosen.filter.value;
          input.form.appendChild(box);
        }
        box.checked = true;
      } else {
        input.value = chosen.text;
      }
      if (input.form) input.form.requestSubmit();
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 120);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!items.length) return;
        event.preventDefault();
        if (!open) { setOpen(true); if (event.altKey) return; }
        var step = event.key === "ArrowDown" ? 1 : -1;
        setActive(active < 0 ? (step > 0 ? 0 : items.length - 1) : (active + step + items.length) % items.length);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        setOpen(false);
      } else if (event.key === "Enter" || event.key === "Tab") {
        setOpen(false);
      }
    });

    input.addEventListener("blur", function () { setOpen(false); });
    // Keep focus in the box while an option is clicked, so the list is not closed first.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(Array.prototype.indexOf.call(list.children, option));
    });
  });
})();

(function () {
  // The Area chooser says at once when too few or too many Areas are ticked, as the server would.
  document.querySelectorAll("form.area-chooser").forEach(function (chooser) {
    var low = Number(chooser.getAttribute("data-min"));
    var high = Number(chooser.getAttribute("data-max"));
    var problem = chooser.querySelector(".chooser-problem");
    chooser.addEventListener("submit", function (event) {
      var ticked = chooser.querySelectorAll("input[name=area]:checked").length;
      if (ticked >= low && ticked <= high) return;
      event.preventDefault();
      var said = ticked === 0 ? "none is" : ticked + (ticked === 1 ? " is" : " are");
      problem.textContent = "Choose " + low + " to " + high + " Areas to compare; " + said + " ticked.";
      problem.hidden = false;
      chooser.querySelector("input[name=area]").focus();
    });
  });
})();

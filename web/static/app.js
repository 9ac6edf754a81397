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
  var lastWasTyping = false;
  var narrow = window.matchMedia("(max-width: 51.99em)");

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

  function collapseFacets(root) {
    // On a phone open filters would push the results far down; the chips show what is chosen.
    if (!narrow.matches) return;
    root.querySelectorAll("details.facet").forEach(function (details) { details.open = false; });
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
    if (!restoreFocus(focus) && options.focusResults) {
      var heading = document.getElementById("results-heading");
      heading.focus({ preventScroll: true });
      document.getElementById("results").scrollIntoView({ block: "start" });
    }
  }

  function navigate(url, options) {
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
        if (options.history === "push") window.history.pushState({ search: true }, "", url);
        if (options.history === "replace") window.history.replaceState({ search: true }, "", url);
        swap(doc, options);
        pending = null;
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
    typingTimer = window.setTimeout(function () {
      var value = query.value.trim();
      if (value.length === 1) return;
      // One history entry per burst of typing, not one per letter.
      navigate(formUrl(), { history: lastWasTyping ? "replace" : "push" });
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

  window.addEventListener("popstate", function () {
    navigate(window.location.pathname + window.location.search, { history: "none", fromHistory: true });
  });

  window.history.replaceState({ search: true }, "", window.location.href);
  collapseFacets(form);
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

/* Timeline Builder: the little the pages do with JavaScript. Everything here is an improvement on
   pages that work without it: filters for a list of events, and search as you type with Pagefind.
   No framework and no build step; the site's pages never depend on this file to be read. */
(function () {
  "use strict";

  var script = document.currentScript;
  var siteRoot = new URL("../", script ? script.src : location.href); // this file lives in <site>/static/

  // Loaded in the head, before the page is drawn, so that what only works with JavaScript (the filters) takes its
  // place from the first paint and nothing moves; the rest waits for the document.
  document.documentElement.classList.add("js");
  if (/[?&]q=[^&]/.test(location.search)) document.documentElement.classList.add("searching");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  function words(text) {
    return text ? text.split(" ") : [];
  }

  function plural(n, one, many) {
    return n.toLocaleString("en") + " " + (n === 1 ? one : many);
  }

  // A year as the pages write it (builder/dates.py, year_label): "2024", "753 BCE", "12,000 BCE", "13.8 billion years ago".
  function yearLabel(year) {
    if (year > 9999) return year.toLocaleString("en");
    if (year > 0) return String(year);
    var n = -year;
    if (n >= 1e9) return String(n / 1e9) + " billion years ago";
    if (n >= 1e6) return String(n / 1e6) + " million years ago";
    return (n > 9999 ? n.toLocaleString("en") : String(n)) + " BCE";
  }

  /* ---- filters: by actor, role, tag, years and status, kept in the address so links and the back button work ---- */

  var FIELDS = ["actor", "role", "tag", "from", "to"];
  var SPELLED_OUT = 100; // the longest range (in years) whose every year the year filter offers

  function setupFilters() {
    var form = document.querySelector("form.filters");
    var list = document.querySelector(".timeline");
    if (!form || !list) return;
    var status = document.querySelector("p.count");
    var scope = form.querySelector(".filter-scope");
    var scopeText = scope ? scope.textContent : "";
    var unfiltered = status ? status.textContent : "";
    var exclude = form.getAttribute("data-exclude") || "";
    var cards = Array.prototype.slice.call(list.querySelectorAll(".card"));
    var actors = new Map();
    var tags = new Map();
    var roles = new Map();
    var years = new Set();
    var own = exclude.split(":");
    var ownActor = own[0] === "actor" ? own[1] : null; // on an actor's page, the role filter picks that actor's role

    var facts = cards.map(function (card) {
      var span = words(card.getAttribute("data-years")).map(Number);
      var fact = {
        card: card,
        actors: words(card.getAttribute("data-actors")),
        tags: words(card.getAttribute("data-tags")),
        roles: words(card.getAttribute("data-roles")).map(function (token) {
          var at = token.lastIndexOf(":"); // "actor-key:role" (the role URL-quoted: it holds no colon or space)
          return { actor: token.slice(0, at), role: decodeURIComponent(token.slice(at + 1)) };
        }),
        from: span[0],
        to: span[1] || span[0],
        status: card.getAttribute("data-status") || "reported",
      };
      tally(actors, fact.actors, card.querySelectorAll(".chips.actors a"));
      tally(tags, fact.tags, card.querySelectorAll(".chips.tags a"));
      var counted = new Set();
      fact.roles.forEach(function (r) {
        if ((ownActor && r.actor !== ownActor) || counted.has(r.role)) return;
        counted.add(r.role); // a card counts once for a role, however many of its actors have it
        var known = roles.get(r.role) || { name: r.role, count: 0 };
        known.count += 1;
        roles.set(r.role, known);
      });
      // Every year an event covers is offered (there is no year 0), but a range of more than a century adds only its
      // first and last: one over 13.8 billion years must not list them all. It still counts for any year it overlaps.
      if (fact.to - fact.from <= SPELLED_OUT) {
        for (var y = fact.from; y <= fact.to; y++) if (y !== 0) years.add(y);
      } else {
        years.add(fact.from);
        years.add(fact.to);
      }
      return fact;
    });

    function tally(seen, keys, links) {
      keys.forEach(function (key, i) {
        var known = seen.get(key) || { name: links[i] ? links[i].textContent : key, url: links[i] ? links[i].href : "", count: 0 };
        known.count += 1;
        seen.set(key, known);
      });
    }

    function fill(select, entries, own) {
      if (!select) return;
      Array.from(entries.entries())
        .filter(function (entry) { return own !== entry[0]; })
        .sort(function (a, b) { return a[1].name.localeCompare(b[1].name, "en", { sensitivity: "base" }); })
        .forEach(function (entry) {
          select.append(el("option", { value: entry[0], text: entry[1].name + " (" + entry[1].count + ")" }));
        });
    }

    // The page offers only the filters that can tell its events apart (the fields it has); fill their choices.
    fill(form.elements.actor, actors, ownActor);
    fill(form.elements.role, roles, null);
    fill(form.elements.tag, tags, own[0] === "tag" ? own[1] : null);
    var yearList = Array.from(years).sort(function (a, b) { return a - b; });
    [form.elements.from, form.elements.to].forEach(function (select) {
      if (!select) return;
      yearList.forEach(function (y) {
        select.append(el("option", { value: String(y), text: yearLabel(y) }));
      });
    });
    var fields = FIELDS.filter(function (name) { return form.elements[name]; });
    // The status filter: a checkbox per status on the page, all ticked at first; the address names the statuses
    // hidden (?hide=denied,retracted), so a status the page gains later is shown.
    var statusBoxes = Array.prototype.slice.call(form.querySelectorAll('input[name="status"]'));

    function current() {
      var state = {};
      fields.forEach(function (name) { state[name] = form.elements[name].value; });
      state.hide = statusBoxes.filter(function (box) { return !box.checked; }).map(function (box) { return box.value; });
      return state;
    }

    function fromAddress() {
      var params = new URLSearchParams(location.search);
      var state = {};
      fields.forEach(function (name) {
        var value = params.get(name) || "";
        var select = form.elements[name];
        if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
          select.append(el("option", { value: value, text: value + " (0)" })); // a shared link may name what this page lacks
        }
        select.value = value;
        state[name] = value;
      });
      var hide = words((params.get("hide") || "").replace(/,/g, " "));
      statusBoxes.forEach(function (box) { box.checked = hide.indexOf(box.value) < 0; });
      state.hide = statusBoxes.length ? hide : [];
      return state;
    }

    // The role belongs to this page's own actor, else to the chosen actor, else to any actor of the event.
    function inRole(fact, state) {
      var who = ownActor || state.actor;
      return fact.roles.some(function (r) { return r.role === state.role && (!who || r.actor === who); });
    }

    function apply(state) {
      var from = state.from ? Number(state.from) : -Infinity;
      var to = state.to ? Number(state.to) : Infinity;
      var shown = 0;
      facts.forEach(function (f) {
        var ok = (!state.actor || f.actors.indexOf(state.actor) >= 0) && (!state.role || inRole(f, state)) &&
          (!state.tag || f.tags.indexOf(state.tag) >= 0) && f.to >= from && f.from <= to && state.hide.indexOf(f.status) < 0;
        f.card.hidden = !ok;
        if (ok) shown += 1;
      });
      list.querySelectorAll("section.month, section.year").forEach(function (section) {
        section.hidden = !section.querySelector(".card:not([hidden])");
      });
      var active = fields.some(function (name) { return state[name]; }) || state.hide.length > 0;
      list.classList.toggle("filtered", active);
      if (status) {
        status.textContent = !active ? unfiltered : shown === 0
          ? "No events match these filters."
          : "Showing " + plural(shown, "event", "events") + " of " + cards.length.toLocaleString("en") + (scope ? " on this page." : ".");
      }
      if (scope) {
        scope.textContent = scopeText;
        var whole = state.actor ? actors.get(state.actor) : state.tag ? tags.get(state.tag) : null;
        if (whole && whole.url) {
          var text = (state.actor ? "Every event of " : "Every event tagged ") + whole.name + " →";
          scope.append(" ", el("a", { href: whole.url, text: text }));
        }
      }
    }

    function update() {
      var state = current();
      if (state.from && state.to && Number(state.from) > Number(state.to)) {
        form.elements.to.value = state.from; // a range never runs backwards
        state.to = state.from;
      }
      var url = new URL(location.href);
      fields.forEach(function (name) {
        if (state[name]) url.searchParams.set(name, state[name]);
        else url.searchParams.delete(name);
      });
      if (state.hide.length) url.searchParams.set("hide", state.hide.join(","));
      else url.searchParams.delete("hide");
      url.hash = "";
      history.pushState(null, "", url.href);
      apply(state);
    }

    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      fields.forEach(function (name) { form.elements[name].value = ""; });
      statusBoxes.forEach(function (box) { box.checked = true; });
      update();
    });
    window.addEventListener("popstate", function () { apply(fromAddress()); });
    apply(fromAddress());
  }

  /* ---- search: Pagefind's index (made by `make site`), searched as you type, on every page ---- */

  var pagefind = null;

  function loadPagefind() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", siteRoot).href).then(function (api) {
        return Promise.resolve(api.options({ baseUrl: siteRoot.pathname, excerptLength: 22 })).then(function () { return api; });
      });
    }
    return pagefind;
  }

  /* Pagefind's excerpts are page text with <mark> around the words found: keep the marks, show the rest as text. */
  function excerpt(html) {
    var out = el("p", { class: "excerpt" });
    html.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      var text = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
      if (text) out.append(marked ? el("mark", { text: text }) : document.createTextNode(text));
      return marked;
    }, false);
    return out;
  }

  function resultItem(data, heading) {
    var meta = data.meta || {};
    var detail = meta.kind === "Actor" ? "Actor" + (meta.role ? " · " + meta.role : "") : meta.when || "";
    var url = new URL(data.url, siteRoot).href;
    return el("li", { class: "result" }, [
      el(heading, { class: "result-title" }, [el("a", { href: url, text: meta.title || url })]),
      el("p", { class: "result-meta", text: detail }),
      excerpt(data.excerpt || ""),
    ]);
  }

  function setupSearch() {
    var form = document.querySelector("form.site-search");
    if (!form) return;
    var input = form.elements.q;
    var panel = document.getElementById("search-panel");
    var page = document.querySelector("[data-search-results]"); // the search page shows results in its main column
    var searchUrl = form.getAttribute("action");
    var shownOnPage = 20;
    var latest = 0;

    function unavailable(target) {
      target.replaceChildren(el("p", { class: "search-status", role: "status" }, [
        "Search is not available in this copy of the site (its index is made by ",
        el("code", { text: "make site" }), "). ",
        page ? "Every page is listed below." : "",
      ].concat(page ? [] : [el("a", { href: searchUrl, text: "Browse every page" })])));
    }

    function run(query, target, limit) {
      var ticket = ++latest;
      if (!query.trim()) {
        target.replaceChildren();
        if (target === panel) panel.hidden = true;
        return;
      }
      loadPagefind().then(function (api) {
        return api.debouncedSearch(query, {}, 150);
      }).then(function (search) {
        if (!search || ticket !== latest) return null;
        return Promise.all(search.results.slice(0, limit).map(function (r) { return r.data(); })).then(function (found) {
          if (ticket !== latest) return;
          var total = search.results.length;
          var status = el("p", { class: "search-status", role: "status",
            text: total ? plural(total, "result", "results") + " for “" + query + "”" : "Nothing found for “" + query + "”." });
          var items = el("ol", { class: "results" }, found.map(function (data) { return resultItem(data, target === panel ? "p" : "h2"); }));
          var more = [];
          if (target === panel && total > found.length) {
            more.push(el("p", { class: "more" }, [el("a", { href: searchUrl + "?q=" + encodeURIComponent(query), text: "All " + plural(total, "result", "results") + " →" })]));
          } else if (target !== panel && total > found.length) {
            var button = el("button", { type: "button", class: "more", text: "Show more results" });
            button.addEventListener("click", function () {
              shownOnPage += 20;
              run(query, target, shownOnPage);
            });
            more.push(button);
          }
          target.replaceChildren.apply(target, [status].concat(found.length ? [items] : [], more));
          if (target === panel) panel.hidden = false;
        });
      }).catch(function () {
        if (ticket !== latest) return;
        document.documentElement.classList.remove("searching"); // the lists of pages are the way in instead
        unavailable(target);
        if (target === panel) panel.hidden = false;
      });
    }

    var dismissed = false; // Escape closes the results until the query changes

    function close(focusInput) {
      panel.hidden = true;
      if (focusInput) {
        dismissed = true;
        input.focus();
      }
    }

    if (page) {
      var query = new URLSearchParams(location.search).get("q") || "";
      var html = document.documentElement;
      input.value = query;
      if (query) run(query, page, shownOnPage);
      else input.focus();
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      input.addEventListener("input", function () {
        var url = new URL(location.href);
        if (input.value) url.searchParams.set("q", input.value);
        else url.searchParams.delete("q");
        history.replaceState(null, "", url.href);
        html.classList.toggle("searching", Boolean(input.value.trim()));
        shownOnPage = 20;
        run(input.value, page, shownOnPage);
      });
      return;
    }

    input.setAttribute("aria-controls", "search-panel");
    input.addEventListener("input", function () {
      dismissed = false;
      run(input.value, panel, 6);
    });
    input.addEventListener("focus", function () {
      if (!dismissed && input.value.trim() && panel.childElementCount) panel.hidden = false;
    });
    form.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(panel.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "Escape" && !panel.hidden) {
        event.preventDefault();
        close(true);
      } else if (event.key === "ArrowDown" && links.length && !panel.hidden) {
        event.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        if (at === 0) input.focus();
        else links[at - 1].focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close(false);
    });
    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) close(false);
    });
  }

  /* ---- the overview strip: its busiest bar in view on a screen too narrow for the whole strip ---- */

  // The stylesheet opens a strip wider than its scroller at its latest end. When the busiest period lies outside
  // that view, scroll it in by as little as it takes, so the reader sees where most events are and as much of the
  // latest as still fits. Run before the first paint: nothing is seen to move.
  function setupStrip() {
    document.querySelectorAll(".strip-scroll").forEach(function (scroller) {
      var bar = scroller.querySelector(".busiest");
      if (!bar || scroller.scrollWidth <= scroller.clientWidth) return;
      var view = scroller.getBoundingClientRect();
      var style = getComputedStyle(scroller);
      var left = view.left + parseFloat(style.paddingLeft);
      var right = view.right - parseFloat(style.paddingRight);
      var box = bar.getBoundingClientRect();
      if (box.left < left) scroller.scrollLeft -= left - box.left;
      else if (box.right > right) scroller.scrollLeft += box.right - right;
    });
  }

  function setup() {
    setupStrip();
    setupFilters();
    setupSearch();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

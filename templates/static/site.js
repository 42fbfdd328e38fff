/* Timeline Builder: the little the pages do with JavaScript. Everything here is an improvement on
   pages that work without it: filters for a list of events, and search as you type with Pagefind.
   No framework and no build step; the site's pages never depend on this file to be read. */
(function () {
  "use strict";

  /* ---- the page's language: its words from static/messages.<lang>.js (window.timelineMessages, made by the build
     from the catalog), its plurals and numbers from the browser's Intl. Without the file, or without a message in
     it, the words are the English ones written here. Every call names its message as a literal, written out in full,
     for the catalog's extraction (pybabel's JavaScript extractor). ---- */

  var lang = (function (tag) {
    try {
      return Intl.getCanonicalLocales(tag.replace(/_/g, "-"))[0] || "en";
    } catch (error) {
      return "en"; // not a tag Intl can read: its numbers and plurals as English writes them
    }
  })(document.documentElement.lang || "en");
  var pluralRules = null;
  // Numbers and years as the pages write them (Babel): the language's signs and grouping, in Western digits and the
  // Gregorian calendar ("2024" in Persian and Thai as well).
  var WRITTEN = { numberingSystem: "latn", calendar: "gregory" };

  function number(n) {
    return n.toLocaleString(lang, WRITTEN);
  }

  function pluralCategory(n) {
    if (!pluralRules) {
      try {
        pluralRules = new Intl.PluralRules(lang);
      } catch (error) {
        pluralRules = { select: function (count) { return count === 1 ? "one" : "other"; } };
      }
    }
    return pluralRules.select(n);
  }

  function translation(msgid) {
    var messages = window.timelineMessages;
    return messages && Object.prototype.hasOwnProperty.call(messages, msgid) ? messages[msgid] : null;
  }

  // "%(name)s" replaced by values[name], "%%" by "%", as Python's % does with the same messages; a name without a
  // value stays as written (``parts`` then puts an element in its place).
  function format(text, values) {
    return text.replace(/%\((\w+)\)s|%%/g, function (found, name) {
      if (!name) return "%";
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : found;
    });
  }

  function _(msgid, values) {
    var text = translation(msgid);
    return format(typeof text === "string" && text ? text : msgid, values);
  }

  // A message for a count: the form of the language's plural category for n; "%(num)s" is n as the language writes
  // numbers, unless values gives num (a number written otherwise, "13.8 billion").
  function ngettext(singular, plural, n, values) {
    var forms = translation(singular);
    var text = forms && typeof forms === "object" ? forms[pluralCategory(n)] : null;
    if (typeof text !== "string" || !text) text = n === 1 ? singular : plural;
    return format(text, Object.assign({ num: number(n) }, values));
  }

  // A message whose placeholders are elements: its text around them, and the elements, to append to a node.
  function parts(text, nodes) {
    return text.split(/%\((\w+)\)s/).map(function (part, i) {
      return i % 2 ? nodes[part] || "" : part;
    }).filter(function (part) { return part !== ""; });
  }

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

  // A year as the pages write it (builder/i18n.py, Language.year): "2024", "2024년", "12,000", "753 BCE",
  // "13.8 billion years ago". A year outside 1 to 9999 takes the place of the year in the language's way of writing one
  // (its parts for year 2000, "2000년"), as a year within does.
  function yearLabel(year) {
    var n = -year;
    if (n >= 1e6) {
      var amount = new Intl.NumberFormat(lang, Object.assign({ notation: "compact", compactDisplay: "long", maximumFractionDigits: 20 }, WRITTEN)).format(n);
      return ngettext("%(num)s year ago", "%(num)s years ago", n, { num: amount });
    }
    var datable = year >= 1 && year <= 9999;
    var text = datable ? String(year) : year > 9999 ? number(year) : _("%(year)s BCE", { year: n > 9999 ? number(n) : String(n) });
    try {
      var date = new Date(Date.UTC(2000, 0, 1));
      if (datable) date.setUTCFullYear(year); // years 1 to 99 too, which Date.UTC would take for 1901 to 1999
      var parts = new Intl.DateTimeFormat(lang, Object.assign({ year: "numeric", timeZone: "UTC" }, WRITTEN)).formatToParts(date);
      return parts.map(function (part) { return part.type === "year" && !datable ? text : part.value; }).join("");
    } catch (error) {
      return text;
    }
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
        .sort(function (a, b) { return a[1].name.localeCompare(b[1].name, lang, { sensitivity: "base" }); })
        .forEach(function (entry) {
          select.append(el("option", { value: entry[0], text: entry[1].name + " (" + number(entry[1].count) + ")" }));
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
          select.append(el("option", { value: value, text: value + " (" + number(0) + ")" })); // a shared link may name what this page lacks
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
        var total = { total: number(cards.length) };
        status.textContent = !active ? unfiltered : shown === 0
          ? _("No events match these filters.")
          : scope
            ? ngettext("Showing %(num)s event of %(total)s on this page.", "Showing %(num)s events of %(total)s on this page.", shown, total)
            : ngettext("Showing %(num)s event of %(total)s.", "Showing %(num)s events of %(total)s.", shown, total);
      }
      if (scope) {
        scope.textContent = scopeText;
        var whole = state.actor ? actors.get(state.actor) : state.tag ? tags.get(state.tag) : null;
        if (whole && whole.url) {
          var text = state.actor ? _("Every event of %(name)s →", { name: whole.name }) : _("Every event tagged %(tag)s →", { tag: whole.name });
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
    var detail = meta.kind === "Actor" ? _("Actor") + (meta.role ? " · " + meta.role : "") : meta.when || ""; // kind: Pagefind's key
    var url = new URL(data.url, siteRoot).href;
    var words = excerpt(data.excerpt || "");
    var title = el("a", { href: url, text: meta.title || url });
    if (meta.lang) { // an event whose note is in another language than the page's (shown untranslated): its words say so
      title.setAttribute("lang", meta.lang);
      words.setAttribute("lang", meta.lang);
    }
    return el("li", { class: "result" }, [
      el(heading, { class: "result-title" }, [title]),
      el("p", { class: "result-meta", text: detail }),
      words,
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
      var why = _("Search is not available in this copy of the site (its index is made by %(command)s).");
      target.replaceChildren(el("p", { class: "search-status", role: "status" }, parts(why, { command: el("code", { text: "make site" }) }).concat(
        " ", page ? _("Every page is listed below.") : el("a", { href: searchUrl, text: _("Browse every page") }))));
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
            text: total ? ngettext("%(num)s result for “%(query)s”", "%(num)s results for “%(query)s”", total, { query: query }) : _("Nothing found for “%(query)s”.", { query: query }) });
          var items = el("ol", { class: "results" }, found.map(function (data) { return resultItem(data, target === panel ? "p" : "h2"); }));
          var more = [];
          if (target === panel && total > found.length) {
            more.push(el("p", { class: "more" }, [el("a", { href: searchUrl + "?q=" + encodeURIComponent(query), text: ngettext("All %(num)s result →", "All %(num)s results →", total) })]));
          } else if (target !== panel && total > found.length) {
            var button = el("button", { type: "button", class: "more", text: _("Show more results") });
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

/*
 * Autocomplete of the search inputs (input[data-autocomplete]), as progressive enhancement:
 * without JavaScript the form simply submits its words to the browse page.
 *
 * WAI-ARIA 1.2 combobox with a listbox popup (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/):
 * - the input gets role="combobox", aria-autocomplete="list", aria-expanded, aria-controls and,
 *   while an option is active, aria-activedescendant (focus stays in the input);
 * - Down / Up move through the suggestions (Down opens them), Enter opens the active app
 *   (with none active, Enter submits the search as usual), Escape closes the list (a second
 *   Escape clears the input), Tab closes it; a click on a suggestion opens the app;
 * - the number of suggestions is announced through a polite live region.
 * Suggestions come from GET <data-autocomplete>?q= (the API's /suggest/: slug, name, icon);
 * an app opens at <data-app-url><slug>/ (/apps/<slug>/ redirects to its page).
 * Every text from the API is set with textContent, never parsed as HTML.
 */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY = 250; // ms of quiet typing before asking
  var counter = 0;

  function Autocomplete(input) {
    counter += 1;
    this.input = input;
    this.endpoint = input.getAttribute("data-autocomplete");
    this.appUrl = input.getAttribute("data-app-url") || "/apps/";
    this.labels = {
      list: input.getAttribute("data-label-suggestions") || "Suggestions",
      none: input.getAttribute("data-label-none") || "",
      one: input.getAttribute("data-label-one") || "1",
      many: input.getAttribute("data-label-many") || "{count}",
    };
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.controller = null;
    this.lastQuery = null;

    var id = (input.id || "autocomplete-" + counter) + "-suggestions";
    this.listbox = document.createElement("ul");
    this.listbox.id = id;
    this.listbox.className = "store-suggestions";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", this.labels.list);
    this.listbox.hidden = true;

    this.status = document.createElement("div");
    this.status.className = "fr-sr-only";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.insertAdjacentElement("afterend", this.listbox);
    this.listbox.insertAdjacentElement("afterend", this.status);

    input.addEventListener("input", this.onInput.bind(this));
    input.addEventListener("keydown", this.onKeyDown.bind(this));
    input.addEventListener("blur", this.onBlur.bind(this));
    // mousedown, not click: it must win over the input's blur.
    this.listbox.addEventListener("mousedown", this.onPointer.bind(this));
  }

  Autocomplete.prototype.query = function () {
    return this.input.value.replace(/\s+/g, " ").trim();
  };

  Autocomplete.prototype.onInput = function () {
    var self = this;
    window.clearTimeout(this.timer);
    var query = this.query();
    if (query.replace(/ /g, "").length < MIN_LENGTH) {
      this.abort();
      this.lastQuery = null;
      this.close();
      return;
    }
    this.timer = window.setTimeout(function () {
      self.fetch(query);
    }, DELAY);
  };

  Autocomplete.prototype.abort = function () {
    if (this.controller) {
      this.controller.abort();
      this.controller = null;
    }
  };

  Autocomplete.prototype.fetch = function (query) {
    var self = this;
    if (query === this.lastQuery) {
      if (this.items.length) this.open();
      return;
    }
    this.abort();
    this.controller = window.AbortController ? new AbortController() : null;
    var url = this.endpoint + "?q=" + encodeURIComponent(query);
    window
      .fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: this.controller ? this.controller.signal : undefined,
      })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (suggestions) {
        // A late answer to words the user has already changed is dropped.
        if (query !== self.query()) return;
        self.lastQuery = query;
        self.render(Array.isArray(suggestions) ? suggestions : []);
      })
      .catch(function () {
        /* offline or aborted: the form still submits */
      });
  };

  Autocomplete.prototype.render = function (suggestions) {
    var self = this;
    this.items = [];
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    while (this.listbox.firstChild) this.listbox.removeChild(this.listbox.firstChild);

    suggestions.forEach(function (suggestion, index) {
      if (!suggestion || !suggestion.slug) return;
      var option = document.createElement("li");
      option.id = self.listbox.id + "-" + index;
      option.className = "store-suggestions__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-url", self.appUrl + encodeURIComponent(suggestion.slug) + "/");
      if (suggestion.icon) {
        var icon = document.createElement("img");
        icon.src = suggestion.icon;
        icon.alt = "";
        icon.width = 32;
        icon.height = 32;
        icon.className = "store-suggestions__icon";
        option.appendChild(icon);
      } else {
        var placeholder = document.createElement("span");
        placeholder.className = "store-suggestions__icon store-suggestions__icon--empty";
        placeholder.setAttribute("aria-hidden", "true");
        option.appendChild(placeholder);
      }
      var name = document.createElement("span");
      name.textContent = suggestion.name || suggestion.slug;
      option.appendChild(name);
      self.listbox.appendChild(option);
      self.items.push(option);
    });

    var count = this.items.length;
    this.announce(
      count === 0
        ? this.labels.none
        : count === 1
          ? this.labels.one
          : this.labels.many.replace("{count}", String(count))
    );
    if (count) this.open();
    else this.close();
  };

  Autocomplete.prototype.announce = function (message) {
    // Emptied first so that the same message twice is read twice.
    var status = this.status;
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  };

  Autocomplete.prototype.open = function () {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Autocomplete.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.setActive(-1);
  };

  Autocomplete.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Autocomplete.prototype.setActive = function (index) {
    if (this.active >= 0 && this.items[this.active]) {
      this.items[this.active].setAttribute("aria-selected", "false");
      this.items[this.active].classList.remove("store-suggestions__option--active");
    }
    this.active = index;
    if (index >= 0 && this.items[index]) {
      var option = this.items[index];
      option.setAttribute("aria-selected", "true");
      option.classList.add("store-suggestions__option--active");
      this.input.setAttribute("aria-activedescendant", option.id);
      if (option.scrollIntoView) option.scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Autocomplete.prototype.go = function (option) {
    var url = option && option.getAttribute("data-url");
    if (url) window.location.assign(url);
  };

  Autocomplete.prototype.onKeyDown = function (event) {
    var count = this.items.length;
    switch (event.key) {
      case "ArrowDown":
      case "Down":
        if (!count) return;
        event.preventDefault();
        if (!this.isOpen()) {
          this.open();
          this.setActive(0);
        } else {
          this.setActive(this.active + 1 >= count ? 0 : this.active + 1);
        }
        break;
      case "ArrowUp":
      case "Up":
        if (!count) return;
        event.preventDefault();
        if (!this.isOpen()) {
          this.open();
          this.setActive(count - 1);
        } else {
          this.setActive(this.active <= 0 ? count - 1 : this.active - 1);
        }
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.go(this.items[this.active]);
        }
        // Otherwise the form submits the words: the search results page.
        break;
      case "Escape":
      case "Esc":
        if (this.isOpen()) {
          event.preventDefault();
          event.stopPropagation(); // the header's search modal stays open
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          this.lastQuery = null;
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  Autocomplete.prototype.onBlur = function () {
    var self = this;
    window.setTimeout(function () {
      if (document.activeElement !== self.input) self.close();
    }, 100);
  };

  Autocomplete.prototype.onPointer = function (event) {
    var option = event.target.closest ? event.target.closest("[role=option]") : null;
    if (!option) return;
    event.preventDefault();
    this.go(option);
  };

  function init() {
    if (!window.fetch) return; // very old browsers: the plain search form
    var inputs = document.querySelectorAll("input[data-autocomplete]");
    Array.prototype.forEach.call(inputs, function (input) {
      if (!input.hasAttribute("data-autocomplete-ready")) {
        input.setAttribute("data-autocomplete-ready", "");
        new Autocomplete(input);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

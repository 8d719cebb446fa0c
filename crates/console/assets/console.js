// Entrepot console: what plain HTML and htmx leave to a script. No inline script runs (the
// Content-Security-Policy forbids it), so everything lives here.
(function () {
  "use strict";

  // A live fragment (the cut-off board) that can't refresh says so instead of going stale.
  document.addEventListener("htmx:responseError", function (e) {
    var target = e.detail && e.detail.target;
    if (target) { target.setAttribute("data-stale", "true"); }
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail && e.detail.target) { e.detail.target.removeAttribute("data-stale"); }
  });

  // ---- Scan screens -----------------------------------------------------------------------
  // One always-focused field read as a keyboard-wedge scanner types it: characters arrive as
  // `input` events (an input method can't split them), Enter submits. Each scan is posted with
  // an Idempotency-Key from a queue kept in localStorage: when the network drops, scans wait
  // and are sent in order once it is back, and a scan sent twice counts once.
  var form = document.querySelector("form[data-scan]");
  if (!form) { return; }
  var field = form.querySelector("input[name=code]");
  var offline = form.querySelector("[data-offline]");
  var storeKey = "entrepot-scans:" + form.getAttribute("action");
  var busy = false;

  function newKey() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }
  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function save(q) {
    try { window.localStorage.setItem(storeKey, JSON.stringify(q)); } catch (e) { /* private mode */ }
  }
  function csrf() {
    var c = form.querySelector("input[name=csrf]");
    return c ? c.value : "";
  }

  // A short beep for an accepted scan, a low double buzz for a refused one, and a flash.
  var audio = null;
  function tone(freq, start, len) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = freq; o.type = "square"; g.gain.value = 0.05;
      o.connect(g); g.connect(audio.destination);
      o.start(audio.currentTime + start); o.stop(audio.currentTime + start + len);
    } catch (e) { /* no sound on this device */ }
  }
  function signal(result) {
    document.body.classList.remove("flash-accepted", "flash-refused");
    if (!result) { return; }
    void document.body.offsetWidth; // restart the animation
    document.body.classList.add("flash-" + result);
    if (result === "accepted") { tone(1760, 0, 0.08); } else { tone(220, 0, 0.15); tone(220, 0.2, 0.15); }
  }

  function showQueue(q) {
    if (!offline) { return; }
    offline.hidden = q.length === 0;
    offline.textContent = (offline.getAttribute("data-text") || "").replace("#", String(q.length));
  }

  // Draws the screen the server sent; an answer that is not a screen (an expired session, a
  // refused key) is shown as a refusal with what it said.
  function swap(html, status) {
    var screen = document.getElementById("screen");
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("screen");
    if (screen && fresh) {
      screen.replaceWith(document.importNode(fresh, true));
      signal(fresh.getAttribute("data-scan-result"));
      return;
    }
    if (!screen) { return; }
    var msg = document.getElementById("scan-message") || document.createElement("p");
    msg.id = "scan-message";
    msg.className = "flash refused";
    msg.setAttribute("role", "alert");
    var title = doc.querySelector("h1, title");
    msg.textContent = status + " " + (title ? title.textContent : html.slice(0, 200));
    screen.setAttribute("data-scan-result", "refused");
    screen.removeAttribute("data-before");
    screen.prepend(msg);
    signal("refused");
  }

  function pump() {
    var q = load();
    showQueue(q);
    if (busy || q.length === 0) { return; }
    busy = true;
    var scan = q[0];
    fetch(scan.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRF-Token": scan.csrf,
        "Idempotency-Key": scan.key,
        "HX-Request": "true"
      },
      body: scan.body
    }).then(function (resp) {
      if (resp.status === 409 || resp.status >= 500) { throw new Error("retry"); }
      return resp.text().then(function (text) {
        var rest = load().filter(function (s) { return s.key !== scan.key; });
        save(rest);
        var redirect = resp.headers.get("HX-Redirect");
        if (redirect) { window.location.assign(redirect); return; }
        swap(text, resp.status);
      });
    }).catch(function () {
      // The network (or the server) is away: keep the scan, try again shortly.
      window.setTimeout(pump, 2000);
      busy = false;
      showQueue(load());
      return "later";
    }).then(function (r) {
      if (r === "later") { return; }
      busy = false;
      pump();
    });
  }

  form.addEventListener("submit", function (e) {
    // A button with its own action (closing a receipt) is a plain form post.
    if (e.submitter && e.submitter.hasAttribute("data-plain")) { return; }
    e.preventDefault();
    var code = field.value.trim();
    field.value = "";
    // A named button (a short pick) is a command of its own, with or without a code.
    var named = e.submitter && e.submitter.name;
    if (!code && !named) { return; }
    var data = named ? new FormData(form, e.submitter) : new FormData(form);
    data.set("code", code);
    var q = load();
    q.push({ action: form.getAttribute("action"), key: newKey(), csrf: csrf(), body: new URLSearchParams(data).toString() });
    save(q);
    form.querySelectorAll("[data-reset]").forEach(function (el) {
      if (el.type === "checkbox") { el.checked = false; } else { el.value = ""; }
    });
    field.focus();
    pump();
  });

  // The scan field keeps the focus unless the person chose another control.
  field.addEventListener("blur", function () {
    window.setTimeout(function () {
      var a = document.activeElement;
      if (!a || a === document.body) { field.focus(); }
    }, 100);
  });
  window.addEventListener("online", pump);
  pump();

  // Camera fallback: one frame a quarter second until a code is read, which is then submitted
  // like a typed scan. The browser's BarcodeDetector reads it where there is one; elsewhere the
  // frame goes to the server grey and scaled down (`/console/scan/read`), one at a time.
  var camera = form.querySelector("[data-camera]");
  var readOnServer = function (video) {
    var vw = video.videoWidth, vh = video.videoHeight;
    if (!vw || !vh) { return Promise.resolve(null); }
    var scale = Math.min(1, 960 / vw, 720 / vh);
    var w = Math.floor(vw * scale), h = Math.floor(vh * scale);
    var canvas = document.createElement("canvas");
    canvas.width = w; canvas.height = h;
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, w, h);
    var rgba = ctx.getImageData(0, 0, w, h).data;
    var grey = new Uint8Array(w * h);
    for (var i = 0, j = 0; j < grey.length; i += 4, j++) {
      grey[j] = (rgba[i] * 77 + rgba[i + 1] * 150 + rgba[i + 2] * 29) >> 8;
    }
    return fetch("/console/scan/read?w=" + w + "&h=" + h, {
      method: "POST", credentials: "same-origin",
      headers: { "content-type": "application/octet-stream" }, body: grey
    }).then(function (r) { return r.ok ? r.json() : { code: null }; })
      .then(function (a) { return a.code || null; });
  };
  if (camera && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    camera.hidden = false;
    camera.addEventListener("click", function () {
      var video = document.createElement("video");
      video.setAttribute("playsinline", "");
      video.muted = true;
      video.className = "camera-view";
      camera.after(video);
      var read = readOnServer;
      if ("BarcodeDetector" in window) {
        var detector = new window.BarcodeDetector();
        read = function (v) {
          return detector.detect(v).then(function (codes) { return codes.length > 0 ? codes[0].rawValue : null; });
        };
      }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.play();
        var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.remove(); };
        var look = function () {
          read(video).then(function (code) {
            if (code) {
              stop();
              field.value = code;
              form.requestSubmit();
            } else { window.setTimeout(look, 250); }
          }).catch(function () { window.setTimeout(look, 250); });
        };
        look();
      }).catch(function () { video.remove(); });
    });
  }
})();

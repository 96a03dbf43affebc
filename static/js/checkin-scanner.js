// Check-in at the door: read the ticket's QR code with the camera, in the browser.
// Uses the browser's BarcodeDetector where there is one, else jsQR (served by the portal).
// Only the decoded code goes to the server; the typed-code form works without any script.
(function () {
  "use strict";
  var form = document.getElementById("code-form");
  var result = document.getElementById("scan-result");
  var scanner = document.getElementById("scanner");
  if (!form || !result) {
    return;
  }

  function show(data) {
    result.textContent = data.message;
    result.className = "scan-result " + (data.ok ? "scan-ok" : "scan-refused");
  }

  function send(code) {
    var body = new FormData(form);
    body.set("code", code);
    return fetch(form.action || window.location.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(show)
      .catch(function () {
        result.textContent = form.getAttribute("data-offline") || "⚠";
        result.className = "scan-result scan-refused";
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = form.elements.code;
    send(input.value).then(function () {
      input.value = "";
      input.focus();
    });
  });

  var canCamera = navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!scanner || !canCamera) {
    return;
  }
  scanner.hidden = false;
  var video = document.getElementById("scanner-video");
  var startButton = document.getElementById("scanner-start");
  var stopButton = document.getElementById("scanner-stop");
  var detector = null;
  if ("BarcodeDetector" in window) {
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (error) {
      detector = null;
    }
  }
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var busy = false;
  var lastCode = "";
  var lastAt = 0;

  function decode() {
    if (detector) {
      return detector.detect(video).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    }
    if (!window.jsQR || !video.videoWidth) {
      return Promise.resolve(null);
    }
    var scale = Math.min(1, 640 / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(image.data, image.width, image.height, {
      inversionAttempts: "dontInvert",
    });
    return Promise.resolve(found ? found.data : null);
  }

  function tick() {
    if (!stream) {
      return;
    }
    if (busy || video.readyState < 2) {
      window.setTimeout(tick, 200);
      return;
    }
    busy = true;
    decode()
      .then(function (code) {
        var now = Date.now();
        // The same ticket held in front of the camera is sent once, not every frame.
        if (code && (code !== lastCode || now - lastAt > 5000)) {
          lastCode = code;
          lastAt = now;
          return send(code);
        }
        return null;
      })
      .catch(function () {
        return null;
      })
      .then(function () {
        busy = false;
        window.setTimeout(tick, 200);
      });
  }

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    startButton.hidden = false;
    stopButton.hidden = true;
  }

  startButton.addEventListener("click", function () {
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.hidden = false;
        video.srcObject = media;
        return video.play();
      })
      .then(function () {
        startButton.hidden = true;
        stopButton.hidden = false;
        stopButton.focus();
        tick();
      })
      .catch(function () {
        result.textContent = startButton.getAttribute("data-denied") || "⚠";
        result.className = "scan-result scan-refused";
      });
  });
  stopButton.addEventListener("click", stop);
})();

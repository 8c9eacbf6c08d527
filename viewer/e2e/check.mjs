// Drives the viewer in Debian's headless Chromium (software WebGL through SwiftShader) for the
// end-to-end tests and the README screenshot. Prints one JSON line with what it saw.
//   node e2e/check.mjs view  URL OUTDIR CAMERA_ID   screenshots: page.png (home view), camera.png (canvas at CAMERA_ID); then flies forward
//   node e2e/check.mjs train URL OUTDIR             pause/resume/checkpoint buttons, curves advance, the end of the run; screenshot: train.png
//   node e2e/check.mjs bare  URL OUTDIR             a model without cameras: the Up button, orbiting around the chosen up
//   node e2e/check.mjs shot  URL FILE CAMERA_ID     the README screenshot: the page looking through CAMERA_ID
import { chromium } from "playwright-core";
import { join } from "node:path";

const [mode, url, outDir, cameraArg] = process.argv.slice(2);
const executablePath = process.env.RADIANT_CHROMIUM ?? "/usr/bin/chromium";
const browser = await chromium.launch({
  executablePath,
  args: ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist", "--no-sandbox"],
});
const result = { mode, errors: [], step: "launch" };
// Before the caller's own time limit: report where it stuck instead of being killed without a word.
const deadline = setTimeout(() => {
  result.errors.push(`${result.step}: still waiting after 200 s`);
  console.log(JSON.stringify(result));
  process.exit(0);
}, 200_000);
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 }, deviceScaleFactor: 1 });
  page.on("pageerror", (e) => result.errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") result.errors.push(m.text()); });
  await page.goto(url);
  result.step = '() => window.radiantViewer?.ready === true, null, { timeout:';
  await page.waitForFunction(() => window.radiantViewer?.ready === true, null, { timeout: 60_000 });

  // Spark sorts in a worker and asks for another frame when done: wait until no frame was drawn for a while.
  const settle = async () => {
    result.step = '() => window.radiantViewer.loaded && performance.now() - win';
    await page.waitForFunction(() => window.radiantViewer.loaded && performance.now() - window.radiantViewer.lastDirty > 1500,
      null, { timeout: 60_000, polling: 200 });
  };

  // A horizontal drag across the canvas (orbit mode): the camera pose before and after.
  const orbitDrag = async () => {
    const pose = () => page.evaluate(() => window.radiantViewer.cameraPose());
    const box = await page.locator("#splats").boundingBox();
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    const before = await pose();
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 150, y, { steps: 10 });
    await page.mouse.up();
    return { before, after: await pose() };
  };

  if (mode === "view") {
    await settle();
    await page.screenshot({ path: join(outDir, "page.png") });
    await page.locator("#splats").screenshot({ path: join(outDir, "home.png") });
    const id = Number(cameraArg);
    await page.check("#exact");
    result.step = '`#cameras li[data-camera="${id}"]`);';
    await page.click(`#cameras li[data-camera="${id}"]`);
    await settle();
    await page.locator("#splats").screenshot({ path: join(outDir, "camera.png") });
    result.view = await page.evaluate(() => {
      const s = window.radiantViewer;
      return { activeCamera: s.activeCamera?.id ?? null, info: s.info, cameras: s.cameras.length,
        canvas: [document.getElementById("splats").width, document.getElementById("splats").height],
        listActive: document.querySelector("#cameras li.active")?.dataset.camera ?? null,
        stats: document.getElementById("stats").innerText };
    });
    result.threeCamera = await page.evaluate(() => window.radiantViewer.cameraPose());
    result.step = "orbit drag";
    result.orbit = await orbitDrag();
    await page.screenshot({ path: join(outDir, "page-camera.png") });
    // Fly mode: holding W moves the camera, and the view is redrawn where it moved to.
    const flight = () => page.evaluate(() => ({ frames: window.radiantViewer.frames, position: window.radiantViewer.cameraPose().position, drawn: window.radiantViewer.drawnPosition }));
    result.step = '"#mode"); // fly';
    await page.click("#mode");
    await settle();
    const before = await flight();
    await page.keyboard.down("w");
    await page.waitForTimeout(500);
    // Software WebGL under load can draw no frame in those 500 ms (the controls move the camera once
    // a frame): hold W until it has moved, up to 30 s; the test fails if it never does.
    await page.waitForFunction((p) => {
      const q = window.radiantViewer.cameraPose().position;
      return Math.hypot(q[0] - p[0], q[1] - p[1], q[2] - p[2]) > 1e-3;
    }, before.position, { timeout: 30_000, polling: 100 }).catch(() => {});
    await page.keyboard.up("w");
    await settle();
    result.fly = { before, after: await flight() };
  } else if (mode === "train") {
    // The test paused the run right after it started; the page's own buttons drive it from here.
    const training = () => page.evaluate(() => ({ ...window.radiantViewer.training }));
    result.step = '() => window.radiantViewer.training?.held === true, null, ';
    await page.waitForFunction(() => window.radiantViewer.training?.held === true, null, { timeout: 60_000, polling: 100 });
    const paused = await training();
    result.step = '"#pause"); // "Resume"';
    await page.click("#pause"); // "Resume"
    result.step = '(it) => window.radiantViewer.training.iteration > it + 20, p';
    await page.waitForFunction((it) => window.radiantViewer.training.iteration > it + 20, paused.iteration, { timeout: 60_000, polling: 100 });
    result.step = '"#pause"); // "Pause"';
    await page.click("#pause"); // "Pause"
    result.step = '() => window.radiantViewer.training.held, null, { timeout:';
    await page.waitForFunction(() => window.radiantViewer.training.held, null, { timeout: 60_000, polling: 100 });
    const first = await training();
    result.step = '"#checkpoint");';
    await page.click("#checkpoint");
    result.step = '() => /checkpoint saved/.test(document.getElementById("contr';
    await page.waitForFunction(() => /checkpoint saved/.test(document.getElementById("control-message").textContent), null, { timeout: 60_000, polling: 100 });
    result.step = '() => window.radiantViewer.loaded, null, { timeout: 60_000, ';
    await page.waitForFunction(() => window.radiantViewer.loaded, null, { timeout: 60_000, polling: 200 });
    const still = await training(); // paused: the iteration must not move
    await page.screenshot({ path: join(outDir, "train.png") });
    result.step = '"#pause"); // "Resume"';
    await page.click("#pause"); // "Resume"
    result.step = '(it) => window.radiantViewer.training.iteration > it, still.';
    await page.waitForFunction((it) => window.radiantViewer.training.iteration > it, still.iteration, { timeout: 60_000, polling: 100 });
    const second = await training();
    result.training = { paused, first, still, second, message: await page.textContent("#control-message"),
      modelVersion: await page.evaluate(() => window.radiantViewer.modelVersion) };
    // The run ends: the page learns it before the server closes, and turns its controls off.
    result.step = '() => window.radiantViewer.finishTakenIn === true';
    await page.waitForFunction(() => window.radiantViewer.finishTakenIn === true, null, { timeout: 120_000, polling: 200 });
    result.training.finished = await page.evaluate(() => ({
      controlsDisabled: document.getElementById("pause").disabled && document.getElementById("checkpoint").disabled,
      message: document.getElementById("control-message").textContent }));
  } else if (mode === "bare") {
    // A model without cameras: the Up button cycles the up axis, and orbiting turns around it.
    await settle();
    result.upButton = await page.isVisible("#up");
    result.step = '"#up"); // +y → +z';
    await page.click("#up");
    result.upLabel = await page.textContent("#up");
    result.orbit = await orbitDrag();
  } else if (mode === "shot") {
    await settle();
    await page.click(`#cameras li[data-camera="${Number(cameraArg)}"]`);
    await page.waitForFunction(() => document.getElementById("render-image").complete, null, { timeout: 60_000 });
    await settle();
    await page.screenshot({ path: outDir });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} catch (e) {
  result.errors.push(`${result.step}: ${e}`);
  result.page = await browser.contexts()[0]?.pages()[0]?.evaluate(() => ({ state: { ...window.radiantViewer, info: null, cameras: null }, text: document.body.innerText })).catch(() => null);
} finally {
  await browser.close();
}
clearTimeout(deadline);
console.log(JSON.stringify(result));

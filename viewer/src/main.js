// Radiant's web viewer: a Gaussian-splat model rendered with Spark on three.js, the run's cameras
// as clickable frustums, and (during `radiant train --viewer`) live curves, renders and controls.
import * as THREE from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import { SparkRenderer, SplatMesh, SparkControls, SplatFileType } from "@sparkjsdev/spark";
import { placeAt, fittedProjection, pinholeProjection, frustumCorners, meanUp, lookAtCentre, forwardOf } from "./cameras.js";
import { drawChart } from "./charts.js";

const $ = (id) => document.getElementById(id);
const canvas = $("splats");
const NEAR = 0.2; // Radiant's near plane (RenderOptions.NearPlane)
const FAR = 1000;

const renderer = new THREE.WebGLRenderer({ canvas, antialias: false });
renderer.setPixelRatio(1);
const scene = new THREE.Scene();
const camera = new THREE.PerspectiveCamera(50, 1, NEAR, FAR);
let dirty = true;
// Reference 3DGS rendering: 0.3 px² dilation without opacity compensation, depth (not radial) order;
// a model trained with the 2D Mip filter switches to it when its info arrives (setFilter2D).
const spark = new SparkRenderer({ renderer, preBlurAmount: 0.3, blurAmount: 0, sortRadial: false, onDirty: () => { dirty = true; } });
scene.add(spark);
const frustumGroup = new THREE.Group();
scene.add(frustumGroup);

// What the page exposes for tests and scripting.
const state = window.radiantViewer = {
  info: null, cameras: [], activeCamera: null, modelVersion: 0, loaded: false, frames: 0, lastDirty: 0, drawnPosition: null, finishTakenIn: false,
  training: null, selectCamera: (id) => selectCamera(id), resetView: () => resetView(),
  /** The three.js camera's position and viewing direction in world coordinates. */
  cameraPose: () => ({
    position: camera.position.toArray(),
    up: camera.up.toArray(),
    forward: new THREE.Vector3(0, 0, -1).applyQuaternion(camera.quaternion).toArray(),
  }),
};

let mesh = null;
let orbit = null;
let fly = null;
let flying = false;
let home = null; // { position, target, up }
let sceneRadius = 1;
let exact = false;

function resize() {
  const stage = $("stage");
  const cam = state.activeCamera;
  let w, h;
  if (exact && cam) {
    [w, h] = [cam.width, cam.height];
    canvas.classList.add("exact");
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  } else {
    canvas.classList.remove("exact");
    canvas.style.width = "100%";
    canvas.style.height = "100%";
    [w, h] = [Math.max(1, stage.clientWidth), Math.max(1, stage.clientHeight)];
  }
  renderer.setSize(w, h, false);
  updateProjection();
}

function updateProjection() {
  const w = canvas.width, h = canvas.height;
  const cam = state.activeCamera;
  camera.aspect = w / h;
  if (cam) {
    const p = exact ? pinholeProjection(cam.fx, cam.fy, cam.cx, cam.cy, w, h, NEAR, FAR) : fittedProjection(cam, w, h, NEAR, FAR);
    camera.projectionMatrix.copy(p);
    camera.projectionMatrixInverse.copy(p).invert();
  } else {
    camera.updateProjectionMatrix();
  }
  dirty = true;
}

/**
 * The model's 2D filter as Radiant renders it: Spark's preBlurAmount is a plain dilation (the
 * reference 0.3 px²), its blurAmount one with Mip-Splatting's opacity compensation sqrt(det Σ / det(Σ + s·I)).
 */
function setFilter2D(filter) {
  if (!filter) return;
  spark.preBlurAmount = filter.compensated ? 0 : filter.variance;
  spark.blurAmount = filter.compensated ? filter.variance : 0;
  dirty = true;
}

function setBackground(rgb) {
  renderer.setClearColor(new THREE.Color().setRGB(rgb[0], rgb[1], rgb[2], THREE.SRGBColorSpace));
}

async function loadModel(version) {
  const response = await fetch(`/api/model.ply?v=${version}`);
  if (!response.ok) return;
  const bytes = new Uint8Array(await response.arrayBuffer());
  const next = new SplatMesh({ fileBytes: bytes, fileType: SplatFileType.PLY });
  await next.initialized;
  scene.add(next);
  if (mesh) { scene.remove(mesh); mesh.dispose(); }
  mesh = next;
  state.modelVersion = version;
  state.loaded = true;
  $("loading").hidden = true;
  dirty = true;
}

function formatBytes(n) {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

function showInfo(info) {
  state.info = info;
  $("title").textContent = info.title;
  document.title = `Radiant · ${info.title}`;
  $("stat-gaussians").textContent = info.gaussians.toLocaleString("en");
  $("stat-sh").textContent = info.shDegree;
  $("stat-size").textContent = info.fileName ? `${formatBytes(info.fileBytes)} (${info.fileName})` : formatBytes(info.fileBytes);
  $("stat-iteration").textContent = info.live ? info.iteration : "–";
  setBackground(info.background);
  setFilter2D(info.filter2D);
}

// ---- cameras ---------------------------------------------------------------------------------

function buildFrustums(cams) {
  frustumGroup.clear();
  const depth = 0.08 * sceneRadius;
  for (const cam of cams) {
    const [a, b, c, d] = frustumCorners(cam, depth);
    const o = new THREE.Vector3(...cam.position);
    const lines = new THREE.BufferGeometry().setFromPoints([o, a, o, b, o, c, o, d, a, b, b, c, c, d, d, a]);
    const colour = cam.split === "test" ? 0xffa040 : 0x40c0ff;
    const segments = new THREE.LineSegments(lines, new THREE.LineBasicMaterial({ color: colour }));
    // An invisible image-plane quad makes the frustum easy to click.
    const quad = new THREE.Mesh(new THREE.BufferGeometry().setFromPoints([a, b, c, a, c, d]),
      new THREE.MeshBasicMaterial({ visible: false, side: THREE.DoubleSide }));
    segments.userData.camera = quad.userData.camera = cam;
    frustumGroup.add(segments, quad);
  }
  frustumGroup.visible = $("frustums").checked;
  $("frustums").parentElement.hidden = cams.length === 0;   // a bare model file has no cameras to show
  $("up").hidden = cams.length > 0;
}

function listCameras(cams) {
  const list = $("cameras");
  list.replaceChildren();
  for (const cam of cams) {
    const li = document.createElement("li");
    li.dataset.camera = cam.id;
    li.textContent = cam.name;
    const split = document.createElement("span");
    split.className = "split";
    split.textContent = `${cam.split} · ${cam.width}×${cam.height}`;
    li.append(split);
    li.addEventListener("click", () => selectCamera(cam.id));
    list.append(li);
  }
  $("camera-count").textContent = `(${cams.length})`;
}

function highlight(id) {
  for (const li of $("cameras").children) li.classList.toggle("active", Number(li.dataset.camera) === id);
  for (const obj of frustumGroup.children)
    if (obj.isLineSegments) obj.material.color.set(obj.userData.camera.id === id ? 0xffff40 : obj.userData.camera.split === "test" ? 0xffa040 : 0x40c0ff);
}

/** Jumps to a training camera: its exact pose and intrinsics (until the user moves). */
function selectCamera(id) {
  const cam = state.cameras.find((c) => c.id === id);
  if (!cam) return false;
  state.activeCamera = cam;
  placeAt(camera, cam);
  if (orbit) {
    const centre = home ? home.target : new THREE.Vector3();
    const toCentre = centre.clone().sub(camera.position).dot(forwardOf(cam).normalize());
    orbit.target.copy(camera.position).addScaledVector(forwardOf(cam).normalize(), Math.max(toCentre, 0.1 * sceneRadius));
  }
  highlight(id);
  resize();
  refreshRender(true);
  return true;
}

function leaveCameraView() {
  if (!state.activeCamera) return;
  state.activeCamera = null;
  highlight(-1);
  resize();
}

function resetView() {
  leaveCameraView();
  if (!home) return;
  camera.up.copy(home.up);
  camera.position.copy(home.position);
  if (orbit) { orbit.target.copy(home.target); orbit.update(); }
  camera.lookAt(home.target);
  dirty = true;
}

/** Orbit controls around home's up: OrbitControls fixes its orbit axis (camera.up) when it is made. */
function setUpOrbit() {
  orbit?.dispose();
  camera.up.copy(home.up);
  orbit = new OrbitControls(camera, canvas);
  orbit.addEventListener("start", leaveCameraView);
  orbit.addEventListener("change", () => { dirty = true; });
}

function setUpControls() {
  setUpOrbit();
  fly = new SparkControls({ canvas });
  fly.fpsMovement.moveSpeed = sceneRadius * 0.5;
  fly.fpsMovement.enable = false;
  fly.pointerControls.enable = false;
}

function setFlying(on) {
  flying = on;
  orbit.enabled = !on;
  fly.fpsMovement.enable = on;
  fly.pointerControls.enable = on;
  $("mode").textContent = on ? "Orbit mode" : "Fly mode";
  if (!on) {
    // Orbit again around the point in front of where flying ended.
    const forward = new THREE.Vector3(0, 0, -1).applyQuaternion(camera.quaternion);
    orbit.target.copy(camera.position).addScaledVector(forward, sceneRadius);
    camera.up.copy(home ? home.up : new THREE.Vector3(0, 1, 0));
    orbit.update();
  } else {
    leaveCameraView();
  }
}

/** Home view: from the cameras (their look-at point, their up, a bit further out than their mean distance), else from the model's bounds. */
function computeHome() {
  const cams = state.cameras;
  if (cams.length) {
    const target = lookAtCentre(cams);
    const up = meanUp(cams);
    let distance = 0;
    for (const c of cams) distance += target.distanceTo(new THREE.Vector3(...c.position));
    distance /= cams.length;
    sceneRadius = Math.max(distance * 0.5, 1e-3);
    const first = new THREE.Vector3(...cams[0].position).sub(target).normalize();
    return { target, up, position: target.clone().addScaledVector(first, distance * 1.2) };
  }
  const box = mesh ? mesh.getBoundingBox(true) : new THREE.Box3(new THREE.Vector3(-1, -1, -1), new THREE.Vector3(1, 1, 1));
  const target = box.getCenter(new THREE.Vector3());
  sceneRadius = Math.max(box.getSize(new THREE.Vector3()).length() / 2, 1e-3);
  const { up, side } = UP_AXES[upAxis];
  return { target, up: up.clone(), position: target.clone().addScaledVector(side, 2.5 * sceneRadius) };
}

// Without cameras nothing says which way is up: +y (three.js), +z (Blender, NeRF-synthetic, Radiant's
// posed captures), −y (COLMAP's own frame, the reference trainer's files). The home view looks
// level, from the side (perpendicular to up).
const UP_AXES = [
  { name: "+y", up: new THREE.Vector3(0, 1, 0), side: new THREE.Vector3(0, 0, 1) },
  { name: "+z", up: new THREE.Vector3(0, 0, 1), side: new THREE.Vector3(0, -1, 0) },
  { name: "−y", up: new THREE.Vector3(0, -1, 0), side: new THREE.Vector3(0, 0, -1) },
  { name: "−z", up: new THREE.Vector3(0, 0, -1), side: new THREE.Vector3(0, 1, 0) },
];
let upAxis = 0;

function cycleUp() {
  if (state.cameras.length) return;   // the cameras say which way is up
  upAxis = (upAxis + 1) % UP_AXES.length;
  $("up").textContent = `Up: ${UP_AXES[upAxis].name}`;
  home = computeHome();
  setUpOrbit();
  resetView();
}

// ---- Radiant render and live training ------------------------------------------------------

let renderTimer = null;
function refreshRender(force) {
  const info = state.info;
  if (info?.live && state.training?.finished) return;   // the server has closed: keep the last render
  const cam = state.activeCamera ?? (info?.live ? state.cameras[0] : null);
  const section = $("radiant-render");
  if (!cam) { section.hidden = true; return; }
  section.hidden = false;
  $("render-caption").textContent = `· ${cam.name}`;
  const img = $("render-image");
  if (force || info?.live) img.src = `/api/render?camera=${cam.id}&t=${Date.now()}`;
  clearTimeout(renderTimer);
  if (info?.live && !state.training?.finished) renderTimer = setTimeout(() => refreshRender(false), Math.max(500, info.renderIntervalMs));
}

const curves = { it: [], loss: [], psnr: [], gaussians: [] };
async function pollTraining() {
  try {
    const since = curves.it.length ? curves.it[curves.it.length - 1] : 0;
    const t = await (await fetch(`/api/training?since=${since}`)).json();
    for (const p of t.points) {
      curves.it.push(p.iteration); curves.loss.push(p.loss); curves.psnr.push(p.psnr); curves.gaussians.push(p.gaussians);
    }
    state.training = { iteration: t.iteration, total: t.total, paused: t.paused, held: t.held, finished: t.finished, points: curves.it.length };
    $("progress").textContent = `iteration ${t.iteration} / ${t.total} · ${t.iterationsPerSecond.toFixed(1)} it/s${t.paused ? " · paused" : ""}${t.finished ? " · finished" : ""}`;
    $("pause").textContent = t.paused ? "Resume" : "Pause";
    if (t.message) $("control-message").textContent = t.message;
    drawChart($("chart-loss"), curves.it, curves.loss, { label: "loss", color: "#ff7a59", log: true, digits: 4 });
    drawChart($("chart-psnr"), curves.it, curves.psnr, { label: "train PSNR (dB)", color: "#59c3ff", digits: 2 });
    drawChart($("chart-gaussians"), curves.it, curves.gaussians, { label: "Gaussians", color: "#8fdc6a", digits: 0 });
    if (t.finished) {
      // The server stops with the run: its controls and renders go, the final model stays on the page.
      $("pause").disabled = $("checkpoint").disabled = true;
      $("control-message").textContent = `the run has finished and its viewer server has closed; radiant view ${state.info?.title ?? "RUN"} shows the final model`;
    }
    if (t.modelVersion > state.modelVersion) await refreshModel();
    if (t.finished) {
      // Tell the server the page has what it needs, so it can close now rather than after a timeout.
      await fetch("/api/training/done", { method: "POST", headers: { "X-Radiant-Viewer": "1" } });
      state.finishTakenIn = true;
      return;
    }
  } catch (e) {
    $("progress").textContent = "training server gone (run finished?)";
    return;
  }
  setTimeout(pollTraining, 500);
}

async function refreshModel() {
  const info = await (await fetch("/api/model")).json();
  showInfo(info);
  if (info.version > state.modelVersion) await loadModel(info.version);
}

async function control(action) {
  const r = await fetch(`/api/training/${action}`, { method: "POST", headers: { "X-Radiant-Viewer": "1" } });
  const body = await r.json();
  $("control-message").textContent = body.error ?? (body.checkpoint ? `checkpoint saved: ${body.checkpoint}` : "");
}

// ---- events and the frame loop ---------------------------------------------------------------

$("reset").addEventListener("click", resetView);
$("mode").addEventListener("click", () => setFlying(!flying));
$("up").addEventListener("click", cycleUp);
$("exact").addEventListener("change", (e) => { exact = e.target.checked; resize(); });
$("frustums").addEventListener("change", (e) => { frustumGroup.visible = e.target.checked; dirty = true; });
$("pause").addEventListener("click", () => control(state.training?.paused ? "resume" : "pause"));
$("checkpoint").addEventListener("click", () => control("checkpoint"));
window.addEventListener("resize", resize);
window.addEventListener("keydown", (e) => {
  if (e.target instanceof HTMLInputElement) return;
  if (e.key === "f" || e.key === "F") setFlying(!flying);
  if ((e.key === "r" || e.key === "R") && !flying) resetView();
  if ((e.key === "u" || e.key === "U") && !flying) cycleUp();
});

// A click (not a drag) on a frustum jumps to that camera.
let down = null;
canvas.addEventListener("pointerdown", (e) => { down = [e.clientX, e.clientY]; });
canvas.addEventListener("pointerup", (e) => {
  if (!down || Math.hypot(e.clientX - down[0], e.clientY - down[1]) > 4 || !frustumGroup.visible) return;
  const rect = canvas.getBoundingClientRect();
  const ndc = new THREE.Vector2((e.clientX - rect.left) / rect.width * 2 - 1, -((e.clientY - rect.top) / rect.height) * 2 + 1);
  const ray = new THREE.Raycaster();
  ray.setFromCamera(ndc, camera);
  const hit = ray.intersectObjects(frustumGroup.children.filter((o) => o.isMesh), false)[0];
  if (hit) selectCamera(hit.object.userData.camera.id);
});

const clock = new THREE.Clock();
renderer.setAnimationLoop(() => {
  const dt = clock.getDelta();
  // SparkControls.update(control, camera): the object it moves, and the camera its pointer looks
  // through (both ours); true when it moved them.
  if (flying && fly && fly.update(camera, camera)) dirty = true;
  if (!dirty) return;
  dirty = false;
  // Hide the selected camera's own frustum when looking through it.
  for (const obj of frustumGroup.children) obj.visible = obj.userData.camera !== state.activeCamera;
  renderer.render(scene, camera);
  state.drawnPosition = camera.position.toArray();
  state.frames++;
  state.lastDirty = performance.now();
  void dt;
});

async function start() {
  const info = await (await fetch("/api/model")).json();
  showInfo(info);
  state.cameras = await (await fetch("/api/cameras")).json();
  if (info.version > 0) await loadModel(info.version);
  else $("loading").textContent = "waiting for the first model snapshot…";
  home = computeHome();
  setUpControls();
  listCameras(state.cameras);
  buildFrustums(state.cameras);
  resize();
  resetView();
  if (info.live) {
    $("live").hidden = false;
    pollTraining();
    refreshRender(true);
  }
  state.ready = true;
}

// A live run writes cameras.json a moment after the server starts: retry until it is there.
async function waitForCameras() {
  for (;;) {
    const cams = await (await fetch("/api/cameras")).json();
    if (cams.length) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

fetch("/api/model").then((r) => r.json()).then(async (info) => {
  if (info.live) await waitForCameras();
  await start();
}).catch((e) => { $("loading").textContent = `error: ${e.message}`; console.error(e); });

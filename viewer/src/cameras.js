// Radiant cameras in three.js.
//
// Radiant (and cameras.json) use OpenCV axes: x right, y down, z forward; cameras.json holds the
// camera centre C and the camera-to-world rotation R_c2w whose columns are those axes in world
// coordinates. A three.js camera looks down −z with y up, so its camera-to-world basis is
// R_c2w · diag(1, −1, −1): the same x column, y and z negated.
import * as THREE from "three";

/** Camera-to-world matrix of a three.js camera placed at a Radiant camera. */
export function threeMatrixOf(cam) {
  const [c, r] = [cam.position, cam.rotation];
  return new THREE.Matrix4().set(
    r[0][0], -r[0][1], -r[0][2], c[0],
    r[1][0], -r[1][1], -r[1][2], c[1],
    r[2][0], -r[2][1], -r[2][2], c[2],
    0, 0, 0, 1);
}

/** Puts a three.js camera at a Radiant camera's pose. */
export function placeAt(camera, cam) {
  threeMatrixOf(cam).decompose(camera.position, camera.quaternion, camera.scale);
  camera.updateMatrixWorld(true);
}

/**
 * OpenGL projection of a pinhole with intrinsics fx fy cx cy (pixels, pixel centres at +0.5) on a
 * W×H image. In view space (x right, y up, looking down −z) pixel u = fx·x/(−z) + cx and
 * v = fy·(−y)/(−z) + cy (v grows downwards), so with w = −z:
 *   clip.x = (2fx/W)·x + (1 − 2cx/W)·z,  clip.y = (2fy/H)·y + (2cy/H − 1)·z.
 * Rows are written in three.js's Matrix4.set order (row-major).
 */
export function pinholeProjection(fx, fy, cx, cy, width, height, near, far) {
  return new THREE.Matrix4().set(
    2 * fx / width, 0, 1 - 2 * cx / width, 0,
    0, 2 * fy / height, 2 * cy / height - 1, 0,
    0, 0, -(far + near) / (far - near), -2 * far * near / (far - near),
    0, 0, -1, 0);
}

/**
 * The projection that shows a Radiant camera's whole image centred in a canvas of another size
 * (letterboxed): intrinsics scaled by s = min(canvasW/W, canvasH/H), principal point shifted by the margin.
 */
export function fittedProjection(cam, canvasWidth, canvasHeight, near, far) {
  const s = Math.min(canvasWidth / cam.width, canvasHeight / cam.height);
  const mx = (canvasWidth - s * cam.width) / 2, my = (canvasHeight - s * cam.height) / 2;
  return pinholeProjection(cam.fx * s, cam.fy * s, cam.cx * s + mx, cam.cy * s + my, canvasWidth, canvasHeight, near, far);
}

/** World-space corners of a camera's image plane at distance `depth` (OpenCV: ((u−cx)/fx·d, (v−cy)/fy·d, d)). */
export function frustumCorners(cam, depth) {
  const m = threeMatrixOf(cam);
  const cv = (u, v) => new THREE.Vector3((u - cam.cx) / cam.fx * depth, (v - cam.cy) / cam.fy * depth, depth);
  // OpenCV camera coordinates to three camera coordinates: (x, −y, −z).
  return [cv(0, 0), cv(cam.width, 0), cv(cam.width, cam.height), cv(0, cam.height)]
    .map((p) => new THREE.Vector3(p.x, -p.y, -p.z).applyMatrix4(m));
}

/** Viewing direction (OpenCV +z) of a camera in world coordinates. */
export function forwardOf(cam) {
  const r = cam.rotation;
  return new THREE.Vector3(r[0][2], r[1][2], r[2][2]);
}

/** The world "up" the cameras agree on: the mean of their −y axes (Blender scenes: +z). */
export function meanUp(cams) {
  const up = new THREE.Vector3();
  for (const c of cams) up.add(new THREE.Vector3(-c.rotation[0][1], -c.rotation[1][1], -c.rotation[2][1]));
  return up.lengthSq() > 1e-12 ? up.normalize() : new THREE.Vector3(0, 1, 0);
}

/** The point nearest to every camera's optical axis in the least-squares sense (what the cameras look at). */
export function lookAtCentre(cams) {
  const a = new THREE.Matrix3().set(0, 0, 0, 0, 0, 0, 0, 0, 0);
  const b = new THREE.Vector3();
  const e = a.elements;
  for (const c of cams) {
    const d = forwardOf(c).normalize();
    const p = new THREE.Vector3(...c.position);
    // Σ (I − d dᵀ) x = Σ (I − d dᵀ) p
    const dd = [d.x, d.y, d.z];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) e[j * 3 + i] += (i === j ? 1 : 0) - dd[i] * dd[j];
    b.add(p.clone().sub(d.clone().multiplyScalar(d.dot(p))));
  }
  if (Math.abs(a.determinant()) < 1e-9) {
    const mean = new THREE.Vector3();
    for (const c of cams) mean.add(new THREE.Vector3(...c.position));
    return mean.divideScalar(cams.length);
  }
  return b.applyMatrix3(a.invert());
}

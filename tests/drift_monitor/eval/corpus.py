"""The drift-monitor evaluation corpus: real footage from Debian packages and
doorbell-like streams built from real photos, each played under named conditions.

Sources (fetched by deploy/scripts/fetch-corpus.sh into .cache/corpus/, never
committed): opencv-doc's videos (vtest, tree, Megamind, Megamind_bugy, box, cup) and
photos, scikit-image's photos. A *doorbell* stream is a fixed view (a real photo,
640x480) lit by an exposure that flickers by +-3 % per frame and steps by up to
+-20 % every 600-1500 frames (auto-exposure), with sensor noise (shot and read
noise in linear light), people walking by (pedestrians cut out of vtest.avi with a
median background, scaled as a doorbell sees them), a vehicle that drives in, parks
for 500-1000 frames and leaves (a real car or motorcycle photo with a feathered
mask), and now and then one corrupted frame: a green band as packet loss leaves it,
a black frame, or a frame repeated (frozen). A *video* stream plays a real clip
forwards and backwards so it lasts as long as needed.

Conditions (what happens from frame `change_at` on):
  unaltered      nothing (the false-alarm runs; doorbells keep their nuisances)
  gain           a per-channel white-balance gain, in linear light (as a camera
                 applies it, before the sRGB curve) or on the 8-bit pixel values
  ramp           a red gain rising linearly from 0 to +6 % over 500 frames
  scene_cut      the view switches to another photo (doorbell)
  night          the camera switches to greyscale night mode (doorbell)
  warm_light     a warm lamp lights part of the view (doorbell)

Everything random comes from numpy generators seeded by the clip, the condition
and the run, so a corpus is the same on every machine. The split between the
tuning part and the held-out part is fixed here, before any threshold was set:
no clip, photo or pedestrian cut-out of one part is used by the other (the two
Megamind clips, the same footage, are both held out).
"""
import dataclasses
import hashlib
import os

import numpy as np

import cv2

# sRGB transfer curve, both ways, as tables.
_LEVELS = np.arange(256) / 255.0
TO_LINEAR = np.where(_LEVELS <= 0.04045, _LEVELS / 12.92,
                     ((_LEVELS + 0.055) / 1.055) ** 2.4).astype(np.float32)
_FINE = 1 << 14
_LIN = np.arange(_FINE) / (_FINE - 1)
_TO_SRGB = np.clip(np.round(255 * np.where(_LIN <= 0.0031308, 12.92 * _LIN,
                                          1.055 * _LIN ** (1 / 2.4) - 0.055)), 0, 255
                   ).astype(np.uint8)


def to_linear(bgr8):
    return TO_LINEAR[bgr8]


def to_srgb8(linear):
    idx = np.clip(linear * (_FINE - 1) + 0.5, 0, _FINE - 1).astype(np.int32)
    return _TO_SRGB[idx]


def jpeg(bgr8, quality=90):
    ok, buf = cv2.imencode(".jpg", bgr8, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return buf.tobytes()


@dataclasses.dataclass(frozen=True)
class Condition:
    name: str
    kind: str  # unaltered | gain | ramp | scene_cut | night | warm_light
    length: int
    change_at: int = -1
    gains: tuple = (1.0, 1.0, 1.0)  # R, G, B
    space: str = "linear"  # linear | pixel
    expected: str = "none"  # the cause a correct detector reports after change_at


def conditions(kind, quick=False):
    """The conditions a clip of `kind` ("video" or "doorbell") is played under."""
    if quick:
        unaltered = 1200 if kind == "doorbell" else 800
    else:
        unaltered = 5000 if kind == "doorbell" else 4000
    at, n = 600, 1000
    out = [Condition("unaltered", "unaltered", unaltered)]
    shifts = [("R+5% linear", (1.05, 1, 1), "linear"), ("B-5% linear", (1, 1, 0.95), "linear"),
              ("G+5% linear", (1, 1.05, 1), "linear"), ("R+5% pixel", (1.05, 1, 1), "pixel"),
              ("B-5% pixel", (1, 1, 0.95), "pixel")]
    if quick:
        shifts = [shifts[0]]
    for name, gains, space in shifts:
        out.append(Condition(name, "gain", n, at, gains, space, "white_balance"))
    if not quick:
        out.append(Condition("ramp R 0-6%/500", "ramp", at + 500, at, expected="white_balance"))
    if kind == "doorbell":
        out.append(Condition("scene cut", "scene_cut", 1100, 700, expected="scene_change"))
        out.append(Condition("night mode", "night", 1100, 700, expected="night_mode"))
        out.append(Condition("warm light", "warm_light", 1100, 700, expected="illumination"))
    return out


def ramp_gain(condition, t):
    """The red gain of a ramp condition at frame t."""
    if t < condition.change_at:
        return 1.0
    return 1.0 + 0.06 * min(1.0, (t - condition.change_at) / 500.0)


def _gains_at(condition, t):
    if condition.kind == "gain" and t >= condition.change_at:
        return condition.gains
    if condition.kind == "ramp":
        return (ramp_gain(condition, t), 1.0, 1.0)
    return (1.0, 1.0, 1.0)


def _apply_pixel_gains(bgr8, gains):
    r, g, b = gains
    return cv2.multiply(bgr8, (b, g, r, 0), dtype=cv2.CV_8U) if gains != (1.0, 1.0, 1.0) else bgr8


def _apply_linear_gains(bgr8, gains):
    if gains == (1.0, 1.0, 1.0):
        return bgr8
    lin = to_linear(bgr8)
    lin *= np.array([gains[2], gains[1], gains[0]], np.float32)
    return to_srgb8(lin)


# --- sources ---------------------------------------------------------------------

def data_dir(corpus):
    return os.path.join(corpus, "x/usr/share/doc/opencv-doc/examples/data")


def skimage_dir(corpus):
    return os.path.join(corpus, "x/usr/lib/python3/dist-packages/skimage/data")


def read_video(path):
    capture = cv2.VideoCapture(path)
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    if not frames:
        raise RuntimeError(f"no frames in {path}")
    return frames


def pedestrians(corpus, first, last, limit=40):
    """Pedestrian cut-outs (BGR crop, alpha) from vtest.avi frames [first, last):
    a median background, the pixels that differ from it, person-sized blobs."""
    cache = os.path.join(corpus, f"pedestrians_{first}_{last}.npz")
    if os.path.exists(cache):
        data = np.load(cache, allow_pickle=True)
        return list(zip(data["crops"], data["alphas"]))
    video = read_video(os.path.join(corpus, "vtest.avi"))
    background = np.median(np.stack(video[::8]), axis=0).astype(np.int16)
    crops, alphas = [], []
    for i in range(first, min(last, len(video)), 9):
        diff = np.abs(video[i].astype(np.int16) - background).max(axis=2)
        mask = (diff > 35).astype(np.uint8) * 255
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
        for c in range(1, count):
            x, y, w, h, area = stats[c]
            if not (1500 <= area <= 30000 and 70 <= h <= 260 and 1.4 <= h / max(w, 1) <= 4.5):
                continue
            crop = video[i][y:y + h, x:x + w].copy()
            alpha = cv2.GaussianBlur(((labels[y:y + h, x:x + w] == c) * 255).astype(np.uint8),
                                     (5, 5), 0).astype(np.float32) / 255
            crops.append(crop)
            alphas.append(alpha)
            if len(crops) >= limit:
                break
        if len(crops) >= limit:
            break
    np.savez(cache, crops=np.array(crops, dtype=object), alphas=np.array(alphas, dtype=object))
    return list(zip(crops, alphas))


def vehicle(path, box):
    """A vehicle from a real photo: the crop `box` (x, y, w, h) with a feathered
    elliptical alpha."""
    image = cv2.imread(path)
    x, y, w, h = box
    crop = image[y:y + h, x:x + w].copy()
    alpha = np.zeros((h, w), np.uint8)
    cv2.ellipse(alpha, (w // 2, h // 2), (int(w * 0.47), int(h * 0.45)), 0, 0, 360, 255, -1)
    alpha = cv2.GaussianBlur(alpha, (0, 0), max(2.0, w / 60)).astype(np.float32) / 255
    return crop, alpha


@dataclasses.dataclass(frozen=True)
class Clip:
    name: str
    part: str  # tuning | heldout
    kind: str  # video | doorbell
    source: str  # video file, or the doorbell's photo
    cut_to: str = ""  # doorbell: the photo a scene cut switches to
    vehicle: str = ""  # doorbell: "car" or "motorcycle"


def clips(corpus):
    d, s = data_dir(corpus), skimage_dir(corpus)
    return [
        Clip("vtest", "tuning", "video", os.path.join(corpus, "vtest.avi")),
        Clip("box", "tuning", "video", os.path.join(corpus, "box.mp4")),
        Clip("door-leuven", "tuning", "doorbell", os.path.join(d, "leuvenA.jpg"),
             os.path.join(d, "leuvenB.jpg"), "car"),
        Clip("door-home", "tuning", "doorbell", os.path.join(d, "home.jpg"),
             os.path.join(d, "leuvenB.jpg"), "car"),
        Clip("tree", "heldout", "video", os.path.join(corpus, "tree.avi")),
        Clip("cup", "heldout", "video", os.path.join(corpus, "cup.mp4")),
        Clip("megamind", "heldout", "video", os.path.join(corpus, "Megamind.avi")),
        Clip("megamind-bugy", "heldout", "video", os.path.join(corpus, "Megamind_bugy.avi")),
        Clip("door-hotel", "heldout", "doorbell", os.path.join(d, "building.jpg"),
             os.path.join(d, "stuff.jpg"), "motorcycle"),
        Clip("door-graffiti", "heldout", "doorbell", os.path.join(d, "graf1.png"),
             os.path.join(d, "building.jpg"), "motorcycle"),
        Clip("door-desk", "heldout", "doorbell", os.path.join(d, "stuff.jpg"),
             os.path.join(d, "graf1.png"), "motorcycle"),
    ]


def _seed(*parts):
    """A stable seed from names (Python's hash() changes between runs)."""
    return int.from_bytes(hashlib.sha256("/".join(map(str, parts)).encode()).digest()[:8], "little")


# --- streams ---------------------------------------------------------------------

class VideoStream:
    """A real clip played forwards and backwards from a seeded start."""

    def __init__(self, clip, frames, condition, run, encoded):
        self.frames, self.condition, self.encoded = frames, condition, encoded
        self.start = np.random.default_rng(_seed(clip.name, condition.name, run)).integers(
            0, max(1, 2 * len(frames) - 2))

    def frame(self, t):
        n = len(self.frames)
        k = (self.start + t) % max(1, 2 * n - 2)
        i = k if k < n else 2 * n - 2 - k
        gains = _gains_at(self.condition, t)
        if gains == (1.0, 1.0, 1.0):  # the unaltered frames are the same in every stream
            if i not in self.encoded:
                self.encoded[i] = jpeg(self.frames[i])
            return self.encoded[i]
        bgr = self.frames[i]
        if self.condition.space == "pixel":
            return jpeg(_apply_pixel_gains(bgr, gains))
        return jpeg(_apply_linear_gains(bgr, gains))


class DoorbellStream:
    """A fixed camera on a real photo, with the nuisances of the module docstring."""
    W, H = 640, 480

    def __init__(self, clip, sprites, vehicle_sprite, condition, run):
        self.condition = condition
        self.rng = np.random.default_rng(_seed(clip.name, condition.name, run))
        rng = self.rng
        self.base = self._photo(clip.source)
        self.cut = self._photo(clip.cut_to) if clip.cut_to else self.base
        self.noise = [rng.standard_normal((self.H, self.W, 3)).astype(np.float32)
                      for _ in range(6)]
        n = condition.length
        # Exposure: steps of up to +-20 % every 600-1500 frames, 15-frame ramps.
        self.exposure = np.ones(n, np.float32)
        t, level = 0, 1.0
        while t < n:
            t += int(rng.integers(600, 1500))
            new = float(rng.choice([0.8, 0.9, 1.0, 1.1, 1.2]))
            ramp = np.linspace(level, new, 15)
            self.exposure[t:t + 15] = ramp[:max(0, min(15, n - t))]
            self.exposure[t + 15:] = new
            level = new
        self.exposure *= (1 + rng.uniform(-0.03, 0.03, n)).astype(np.float32)
        # Passers-by: one every 40-160 frames, 30-90 frames in view.
        self.passers = []
        t = int(rng.integers(0, 60))
        while t < n:
            crop, alpha = sprites[int(rng.integers(len(sprites)))]
            scale = float(rng.uniform(1.4, 2.8))
            self.passers.append((t, int(rng.integers(30, 90)), crop, alpha, scale,
                                 float(rng.uniform(0.75, 1.0)), bool(rng.integers(2))))
            t += int(rng.integers(40, 160))
        # A vehicle drives in, parks 500-1000 frames, leaves; once or twice.
        self.vehicles = []
        t = int(rng.integers(100, 900))
        while t < n:
            park = int(rng.integers(500, 1000))
            crop, alpha = vehicle_sprite
            width = float(rng.uniform(0.3, 0.45)) * self.W
            self.vehicles.append((t, park, crop, alpha, width, float(rng.uniform(0.15, 0.55))))
            t += park + 100 + int(rng.integers(200, 900))
        # Single corrupted frames, one every 500-1100 frames.
        self.corrupt = {}
        t = int(rng.integers(300, 800))
        while t < n:
            self.corrupt[t] = str(rng.choice(["green_band", "black", "frozen"]))
            t += int(rng.integers(500, 1100))
        lamp_x, lamp_y = rng.uniform(0.0, 0.35) * self.W, rng.uniform(0.2, 0.8) * self.H
        yy, xx = np.mgrid[0:self.H, 0:self.W].astype(np.float32)
        falloff = np.exp(-((xx - lamp_x) ** 2 + (yy - lamp_y) ** 2) / (2 * (0.3 * self.W) ** 2))
        self.lamp = falloff[..., None] * np.array([0.35, 0.7, 1.2], np.float32)  # B, G, R
        self.previous = None
        self.scaled = {}

    def _photo(self, path):
        image = cv2.imread(path)
        h, w = image.shape[:2]
        s = max(self.W / w, self.H / h)
        image = cv2.resize(image, (int(round(w * s)), int(round(h * s))),
                           interpolation=cv2.INTER_AREA)
        y0, x0 = (image.shape[0] - self.H) // 2, (image.shape[1] - self.W) // 2
        return to_linear(image[y0:y0 + self.H, x0:x0 + self.W])

    def _scaled(self, crop, alpha, size):
        """A cut-out at `size`, in linear light (cached: each keeps its size)."""
        key = (id(crop), size)
        if key not in self.scaled:
            if len(self.scaled) > 64:
                self.scaled.clear()
            self.scaled[key] = (to_linear(cv2.resize(crop, size)), cv2.resize(alpha, size))
        return self.scaled[key]

    @staticmethod
    def _paste(canvas, crop_lin, alpha, x, y):
        h, w = alpha.shape
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(canvas.shape[1], x + w), min(canvas.shape[0], y + h)
        if x1 <= x0 or y1 <= y0:
            return
        a = alpha[y0 - y:y1 - y, x0 - x:x1 - x, None]
        region = canvas[y0:y1, x0:x1]
        region *= 1 - a
        region += a * crop_lin[y0 - y:y1 - y, x0 - x:x1 - x]

    def frame(self, t):
        c = self.condition
        if self.corrupt.get(t) == "frozen" and self.previous is not None:
            return self.previous
        changed = c.change_at >= 0 and t >= c.change_at
        scene = self.cut if (c.kind == "scene_cut" and changed) else self.base
        lin = scene.copy()
        for start, park, crop, alpha, width, x_frac in self.vehicles:
            if not start <= t < start + park + 100:
                continue
            s = width / crop.shape[1]
            size = (int(crop.shape[1] * s), int(crop.shape[0] * s))
            v_lin, v_alpha = self._scaled(crop, alpha, size)
            x_park = int(x_frac * self.W)
            if t < start + 50:
                x = int(-size[0] + (x_park + size[0]) * (t - start) / 50)
            elif t < start + 50 + park:
                x = x_park
            else:
                x = int(x_park + (self.W - x_park) * (t - start - 50 - park) / 50)
            self._paste(lin, v_lin, v_alpha, x, self.H - size[1] - 10)
        for start, duration, crop, alpha, scale, foot, leftwards in self.passers:
            if not start <= t < start + duration:
                continue
            size = (max(1, int(crop.shape[1] * scale)), max(1, int(crop.shape[0] * scale)))
            p_lin, p_alpha = self._scaled(crop, alpha, size)
            f = (t - start) / duration
            x = int((1 - f if leftwards else f) * (self.W + size[0]) - size[0])
            self._paste(lin, p_lin, p_alpha, x, int(foot * self.H) - size[1])
        lin *= self.exposure[t]
        if c.kind == "warm_light" and changed:
            lin += scene * self.lamp * min(1.0, (t - c.change_at + 1) / 10)
        noise = self.noise[t % len(self.noise)] if t % 2 else -self.noise[t % len(self.noise)]
        lin += noise * (0.012 * np.sqrt(np.maximum(lin, 0)) + 0.002)
        gains = _gains_at(c, t)
        if c.space == "linear" and gains != (1.0, 1.0, 1.0):
            lin *= np.array([gains[2], gains[1], gains[0]], np.float32)
        if c.kind == "night" and changed:
            grey = 0.6 * (0.0722 * lin[..., 0] + 0.7152 * lin[..., 1] + 0.2126 * lin[..., 2])
            lin = np.repeat(grey[..., None], 3, axis=2)
        bgr = to_srgb8(lin)
        if c.space == "pixel":
            bgr = _apply_pixel_gains(bgr, gains)
        kind = self.corrupt.get(t)
        if kind == "green_band":
            y0 = int(self.rng.integers(0, self.H - 64)) // 16 * 16
            bgr[y0:y0 + int(self.rng.integers(4, 16)) * 16] = (0, 135, 0)
        elif kind == "black":
            bgr[:] = 0
        encoded = jpeg(bgr)
        self.previous = encoded
        return encoded


class Sources:
    """Loads each source once: video frames, pedestrian cut-outs per part, vehicles."""

    def __init__(self, corpus):
        self.corpus = corpus
        self._videos = {}
        self._encoded = {}
        self._sprites = {}

    def video(self, path):
        if path not in self._videos:
            self._videos.clear()  # one clip in memory at a time
            self._encoded.clear()
            self._videos[path] = read_video(path)
        return self._videos[path]

    def sprites(self, part):
        if part not in self._sprites:
            first, last = (0, 400) if part == "tuning" else (400, 795)
            self._sprites[part] = pedestrians(self.corpus, first, last)
        return self._sprites[part]

    def vehicle(self, name):
        if name == "car":
            return vehicle(os.path.join(data_dir(self.corpus), "licenseplate_motion.jpg"),
                           (20, 40, 560, 400))
        return vehicle(os.path.join(skimage_dir(self.corpus), "motorcycle_left.png"),
                       (60, 120, 640, 430))

    def stream(self, clip, condition, run=0):
        if clip.kind == "video":
            return VideoStream(clip, self.video(clip.source), condition, run, self._encoded)
        return DoorbellStream(clip, self.sprites(clip.part), self.vehicle(clip.vehicle),
                              condition, run)
